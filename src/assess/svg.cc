#include "assess/svg.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace tradeledger::assess {
namespace {

// Okabe-Ito: distinguishable with the common colour-vision deficiencies, and in grey print.
constexpr const char* kPalette[] = {"#0072b2", "#e69f00", "#009e73", "#d55e00",
                                    "#cc79a7", "#56b4e9", "#8c6d1f", "#333333"};
constexpr size_t kPaletteSize = sizeof kPalette / sizeof kPalette[0];

constexpr double kCharWidth = 6.2;  // average advance of an 11 px sans-serif character
constexpr size_t kMaxLabelChars = 24;

std::string Num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", v);
  return buf;
}

// Code points of UTF-8 `text` (continuation bytes do not count).
size_t CodePoints(std::string_view text) {
  return static_cast<size_t>(std::count_if(text.begin(), text.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }));
}

// At most `max` code points, the last one an ellipsis when cut.
std::string Shorten(std::string_view text, size_t max) {
  if (CodePoints(text) <= max) return std::string(text);
  size_t points = 0;
  size_t i = 0;
  for (; i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80 && ++points == max) break;
  }
  return std::string(text.substr(0, i)) + "\u2026";
}

// The width of a label as drawn (shortened).
double Width(std::string_view label) {
  return kCharWidth * static_cast<double>(CodePoints(Shorten(label, kMaxLabelChars)));
}

double ValueAt(const std::vector<double>& values, size_t i) {
  return i < values.size() && values[i] > 0 ? values[i] : 0;
}

bool AllIntegral(const std::vector<Series>& series) {
  for (const auto& s : series) {
    for (double v : s.values) {
      if (std::fabs(v - std::round(v)) > 1e-9) return false;
    }
  }
  return true;
}

double MaxValue(const std::vector<Series>& series) {
  double max = 0;
  for (const auto& s : series) {
    for (double v : s.values) max = std::max(max, v);
  }
  return max;
}

// The drawing area of a chart and the shared parts: frame, y axis, legend, labels.
class Plot {
 public:
  // `bottom_labels`: the height the x labels need; `min_left`: the least left margin.
  Plot(const ChartFrame& frame, double max_value, bool integral, double bottom_labels, bool legend,
       double min_left = 0)
      : frame_(frame), ticks_(AxisTicks(max_value, integral)) {
    left_ = std::max(frame.y_label.empty() ? 52.0 : 68.0, min_left);
    right_ = frame.width - 16.0;
    top_ = legend ? 34 : 16;
    bottom_ = frame.height - bottom_labels - (frame.x_label.empty() ? 6 : 24);
    out_ = "<svg class=\"chart\" viewBox=\"0 0 " + std::to_string(frame.width) + " " +
           std::to_string(frame.height) + "\" width=\"" + std::to_string(frame.width) +
           "\" height=\"" + std::to_string(frame.height) + "\" role=\"img\" aria-label=\"" +
           EscapeXml(frame.title) + "\" font-family=\"sans-serif\" font-size=\"11\"><title>" +
           EscapeXml(frame.title) + "</title>";
  }

  double left() const { return left_; }
  double right() const { return right_; }
  double top() const { return top_; }
  double bottom() const { return bottom_; }
  double width() const { return right_ - left_; }
  // The y coordinate of `value` (clamped to the axis).
  double Y(double value) const {
    double top_tick = ticks_.back();
    double v = std::clamp(value, 0.0, top_tick);
    return bottom_ - v / top_tick * (bottom_ - top_);
  }

  void YAxis() {
    for (double tick : ticks_) {
      double y = Y(tick);
      Add("<line class=\"grid\" x1=\"" + Num(left_) + "\" y1=\"" + Num(y) + "\" x2=\"" +
          Num(right_) + "\" y2=\"" + Num(y) + "\" stroke=\"#dddddd\"/>");
      Add("<text x=\"" + Num(left_ - 6) + "\" y=\"" + Num(y + 4) + "\" text-anchor=\"end\">" +
          EscapeXml(FormatValue(tick)) + "</text>");
    }
    Add("<line class=\"axis\" x1=\"" + Num(left_) + "\" y1=\"" + Num(top_) + "\" x2=\"" +
        Num(left_) + "\" y2=\"" + Num(bottom_) + "\" stroke=\"#333333\"/>");
    Add("<line class=\"axis\" x1=\"" + Num(left_) + "\" y1=\"" + Num(bottom_) + "\" x2=\"" +
        Num(right_) + "\" y2=\"" + Num(bottom_) + "\" stroke=\"#333333\"/>");
    if (!frame_.y_label.empty()) {
      double cy = (top_ + bottom_) / 2;
      Add("<text class=\"axis-label\" x=\"14\" y=\"" + Num(cy) +
          "\" text-anchor=\"middle\" transform=\"rotate(-90 14 " + Num(cy) + ")\">" +
          EscapeXml(frame_.y_label) + "</text>");
    }
    if (!frame_.x_label.empty()) {
      Add("<text class=\"axis-label\" x=\"" + Num((left_ + right_) / 2) + "\" y=\"" +
          Num(frame_.height - 6.0) + "\" text-anchor=\"middle\">" + EscapeXml(frame_.x_label) +
          "</text>");
    }
  }

  // A label under the x axis centred at `x`, turned when `rotated`.
  void XLabel(double x, std::string_view text, bool rotated) {
    std::string shown = EscapeXml(Shorten(text, kMaxLabelChars));
    double y = bottom_ + 14;
    if (rotated) {
      Add("<text x=\"" + Num(x) + "\" y=\"" + Num(y) +
          "\" text-anchor=\"end\" transform=\"rotate(" + "-40 " + Num(x) + " " + Num(y) +
          ")\"><title>" + EscapeXml(text) + "</title>" + shown + "</text>");
    } else {
      Add("<text x=\"" + Num(x) + "\" y=\"" + Num(y) + "\" text-anchor=\"middle\"><title>" +
          EscapeXml(text) + "</title>" + shown + "</text>");
    }
  }

  void Legend(const std::vector<Series>& series) {
    double x = left_;
    for (size_t i = 0; i < series.size(); ++i) {
      Add("<rect x=\"" + Num(x) + "\" y=\"10\" width=\"10\" height=\"10\" fill=\"" +
          kPalette[i % kPaletteSize] + "\"/>");
      std::string name = Shorten(series[i].name, kMaxLabelChars);
      Add("<text x=\"" + Num(x + 14) + "\" y=\"19\">" + EscapeXml(name) + "</text>");
      x += 24 + kCharWidth * static_cast<double>(CodePoints(name));
    }
  }

  void Add(const std::string& element) { out_ += element; }
  std::string Finish() { return out_ + "</svg>"; }

 private:
  const ChartFrame& frame_;
  std::vector<double> ticks_;
  double left_, right_, top_, bottom_;
  std::string out_;
};

// How x labels of `slot` px each are laid out: turned when one is wider than its slot.
struct LabelLayout {
  bool rotated = false;
  double height = 18;      // below the axis
  double first_width = 0;  // of the first and the last label, for what overhangs the plot
  double last_width = 0;
  // How far the first label reaches left of its anchor (centred, or turned and ending there).
  double FirstReach() const { return rotated ? first_width * 0.77 : first_width / 2; }
};

LabelLayout LayOutLabels(const std::vector<std::string>& labels, double slot) {
  LabelLayout layout;
  double longest = 0;
  for (const auto& l : labels) {
    longest = std::max(longest, Width(l));
  }
  if (!labels.empty()) {
    layout.first_width = Width(labels.front());
    layout.last_width = Width(labels.back());
  }
  if (longest > slot - 4) {
    layout.rotated = true;
    layout.height = 16 + longest * 0.65;  // sin(40 degrees) of the text, plus the font's height
  }
  return layout;
}

// A bar with its value above it and a tooltip naming both.
void Bar(Plot& plot, double x, double w, double value, std::string_view what, const char* colour,
         bool show_value) {
  double y = plot.Y(value);
  plot.Add("<rect class=\"bar\" x=\"" + Num(x) + "\" y=\"" + Num(y) + "\" width=\"" + Num(w) +
           "\" height=\"" + Num(plot.bottom() - y) + "\" fill=\"" + colour + "\"><title>" +
           EscapeXml(std::string(what) + ": " + FormatValue(value)) + "</title></rect>");
  if (show_value) {
    plot.Add("<text class=\"value\" x=\"" + Num(x + w / 2) + "\" y=\"" + Num(y - 3) +
             "\" text-anchor=\"middle\" font-size=\"10\">" + EscapeXml(FormatValue(value)) +
             "</text>");
  }
}

}  // namespace

std::string EscapeXml(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      case '\t':
      case '\n':
      case '\r':
        out += c;
        break;
      default:
        out += static_cast<unsigned char>(c) < 0x20 || c == '\x7f' ? '?' : c;
    }
  }
  return out;
}

std::string FormatValue(double value) {
  char buf[64];
  if (std::fabs(value - std::round(value)) < 1e-9) {
    std::snprintf(buf, sizeof buf, "%.0f", std::round(value));
    return std::string(buf) == "-0" ? "0" : buf;
  }
  std::snprintf(buf, sizeof buf, "%.2f", value);
  std::string s = buf;
  while (s.back() == '0') s.pop_back();
  if (s.back() == '.') s.pop_back();
  return s;
}

std::vector<double> AxisTicks(double max_value, bool integral) {
  if (!(max_value > 0) || !std::isfinite(max_value)) return {0, 1};
  double raw = max_value / 5;
  double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
  double norm = raw / magnitude;
  double step = (norm <= 1 ? 1 : norm <= 2 ? 2 : norm <= 5 ? 5 : 10) * magnitude;
  if (integral) step = std::max(step, 1.0);
  std::vector<double> ticks = {0};
  // Multiples of the step computed from the index, so that no rounding error accumulates.
  for (int i = 1; ticks.back() < max_value - step * 1e-9; ++i) ticks.push_back(step * i);
  return ticks;
}

std::string NoDataSvg(const ChartFrame& frame) {
  int h = std::min(frame.height, 80);
  return "<svg class=\"chart no-data\" viewBox=\"0 0 " + std::to_string(frame.width) + " " +
         std::to_string(h) + "\" width=\"" + std::to_string(frame.width) + "\" height=\"" +
         std::to_string(h) + "\" role=\"img\" aria-label=\"" + EscapeXml(frame.title) +
         ": no data\" font-family=\"sans-serif\" font-size=\"13\"><title>" +
         EscapeXml(frame.title) + ": no data</title><rect x=\"0.5\" y=\"0.5\" width=\"" +
         std::to_string(frame.width - 1) + "\" height=\"" + std::to_string(h - 1) +
         "\" fill=\"none\" stroke=\"#bbbbbb\" stroke-dasharray=\"4 3\"/><text x=\"" +
         std::to_string(frame.width / 2) + "\" y=\"" + std::to_string(h / 2 + 4) +
         "\" text-anchor=\"middle\" fill=\"#666666\">no data</text></svg>";
}

std::string BarChartSvg(const ChartFrame& frame, const std::vector<std::string>& categories,
                        const std::vector<Series>& series) {
  double max = MaxValue(series);
  if (categories.empty() || series.empty() || !(max > 0)) return NoDataSvg(frame);
  bool legend = series.size() > 1;
  double approx_slot = (frame.width - 84.0) / static_cast<double>(categories.size());
  LabelLayout labels = LayOutLabels(categories, approx_slot);
  Plot plot(frame, max, AllIntegral(series), labels.height, legend,
            labels.FirstReach() - approx_slot / 2 + 4);
  plot.YAxis();
  if (legend) plot.Legend(series);
  double slot = plot.width() / static_cast<double>(categories.size());
  double bar = slot * 0.8 / static_cast<double>(series.size());
  for (size_t c = 0; c < categories.size(); ++c) {
    double x0 = plot.left() + slot * static_cast<double>(c) + slot * 0.1;
    for (size_t s = 0; s < series.size(); ++s) {
      std::string what = legend ? categories[c] + ", " + series[s].name : categories[c];
      Bar(plot, x0 + bar * static_cast<double>(s), bar, ValueAt(series[s].values, c), what,
          kPalette[s % kPaletteSize], bar >= 12);
    }
    plot.XLabel(plot.left() + slot * (static_cast<double>(c) + 0.5), categories[c], labels.rotated);
  }
  return plot.Finish();
}

std::string HistogramSvg(const ChartFrame& frame, const std::vector<std::string>& buckets,
                         const std::vector<double>& counts) {
  std::vector<Series> one = {{"", counts}};
  double max = MaxValue(one);
  if (buckets.empty() || !(max > 0)) return NoDataSvg(frame);
  double approx_slot = (frame.width - 84.0) / static_cast<double>(buckets.size());
  LabelLayout labels = LayOutLabels(buckets, approx_slot);
  Plot plot(frame, max, AllIntegral(one), labels.height, false,
            labels.FirstReach() - approx_slot / 2 + 4);
  plot.YAxis();
  double slot = plot.width() / static_cast<double>(buckets.size());
  for (size_t b = 0; b < buckets.size(); ++b) {
    double x = plot.left() + slot * static_cast<double>(b);
    // One pixel apart: a histogram's buckets touch.
    Bar(plot, x + 0.5, slot - 1, ValueAt(counts, b), buckets[b], kPalette[0], slot >= 12);
    plot.XLabel(x + slot / 2, buckets[b], labels.rotated);
  }
  return plot.Finish();
}

std::string LineChartSvg(const ChartFrame& frame, const std::vector<double>& x,
                         const std::vector<std::string>& x_labels,
                         const std::vector<Series>& series) {
  double max = MaxValue(series);
  if (x.empty() || series.empty() || !(max > 0)) return NoDataSvg(frame);
  bool legend = series.size() > 1;
  // Up to six labelled points, evenly spread over the data, always the first and the last.
  size_t label_count = std::min<size_t>(x.size(), 6);
  std::vector<size_t> labelled;
  for (size_t i = 0; i < label_count; ++i) {
    labelled.push_back(label_count == 1 ? 0 : i * (x.size() - 1) / (label_count - 1));
  }
  std::vector<std::string> shown;
  for (size_t i : labelled) shown.push_back(i < x_labels.size() ? x_labels[i] : "");
  LabelLayout labels = LayOutLabels(shown, (frame.width - 84.0) / static_cast<double>(label_count));
  Plot plot(frame, max, AllIntegral(series), labels.height, legend);
  plot.YAxis();
  if (legend) plot.Legend(series);
  double x_min = *std::min_element(x.begin(), x.end());
  double x_max = *std::max_element(x.begin(), x.end());
  // Inset the first and last points so that their labels stay inside the chart.
  double pad_left = std::max(8.0, labels.FirstReach() - plot.left() + 2);
  double pad_right = labels.rotated
                         ? 8.0
                         : std::max(8.0, labels.last_width / 2 - (frame.width - plot.right()) + 2);
  auto px = [&](double v) {
    if (x_max <= x_min) return plot.left() + plot.width() / 2;
    return plot.left() + pad_left +
           (v - x_min) / (x_max - x_min) * (plot.width() - pad_left - pad_right);
  };
  for (size_t s = 0; s < series.size(); ++s) {
    const char* colour = kPalette[s % kPaletteSize];
    std::string points;
    for (size_t i = 0; i < x.size(); ++i) {
      if (!points.empty()) points += ' ';
      points += Num(px(x[i])) + "," + Num(plot.Y(ValueAt(series[s].values, i)));
    }
    plot.Add("<polyline class=\"line\" fill=\"none\" stroke=\"" + std::string(colour) +
             "\" stroke-width=\"2\" points=\"" + points + "\"/>");
    // Markers with their values while they do not crowd each other.
    if (x.size() > 60) continue;
    for (size_t i = 0; i < x.size(); ++i) {
      double v = ValueAt(series[s].values, i);
      std::string label = i < x_labels.size() ? x_labels[i] : "";
      plot.Add("<circle cx=\"" + Num(px(x[i])) + "\" cy=\"" + Num(plot.Y(v)) +
               "\" r=\"3\" fill=\"" + colour + "\"><title>" +
               EscapeXml(label + ", " + series[s].name + ": " + FormatValue(v)) +
               "</title></circle>");
      if (x.size() <= 20) {
        plot.Add("<text class=\"value\" x=\"" + Num(px(x[i])) + "\" y=\"" + Num(plot.Y(v) - 6) +
                 "\" text-anchor=\"middle\" font-size=\"10\">" + EscapeXml(FormatValue(v)) +
                 "</text>");
      }
    }
  }
  for (size_t i : labelled) {
    plot.XLabel(px(x[i]), i < x_labels.size() ? x_labels[i] : "", labels.rotated);
  }
  return plot.Finish();
}

}  // namespace tradeledger::assess
