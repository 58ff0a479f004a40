// The report's SVG charts: well-formed, scaled to their data, escaped, "no data" when empty.
#include "assess/svg.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <regex>
#include <string>
#include <vector>

namespace tradeledger::assess {
namespace {

// An empty string when `xml` is one well-formed element (balanced tags, quoted attributes,
// known entities, no stray '<' or '&'); otherwise what is wrong and where.
std::string WellFormed(const std::string& xml) {
  std::vector<std::string> open;
  size_t roots = 0;
  auto entity_ok = [&](size_t at) {
    static const std::regex kEntity("^&(amp|lt|gt|quot|apos|#[0-9]+|#x[0-9a-fA-F]+);");
    return std::regex_search(xml.begin() + static_cast<std::ptrdiff_t>(at), xml.end(), kEntity);
  };
  size_t i = 0;
  while (i < xml.size()) {
    char c = xml[i];
    if (c == '&') {
      if (!entity_ok(i)) return "bad entity at " + std::to_string(i);
      ++i;
      continue;
    }
    if (c != '<') {
      if (open.empty() && c != '\n' && c != ' ')
        return "text outside the root at " + std::to_string(i);
      ++i;
      continue;
    }
    if (xml.compare(i, 2, "</") == 0) {
      size_t end = xml.find('>', i);
      if (end == std::string::npos) return "unterminated end tag";
      std::string name = xml.substr(i + 2, end - i - 2);
      if (open.empty() || open.back() != name) return "unbalanced </" + name + ">";
      open.pop_back();
      i = end + 1;
      continue;
    }
    size_t j = i + 1;
    while (j < xml.size() && (std::isalnum(static_cast<unsigned char>(xml[j])) || xml[j] == '-')) {
      ++j;
    }
    std::string name = xml.substr(i + 1, j - i - 1);
    if (name.empty()) return "stray '<' at " + std::to_string(i);
    // Attributes: name="value" with no '<' in the value.
    while (true) {
      while (j < xml.size() && xml[j] == ' ') ++j;
      if (j >= xml.size()) return "unterminated tag <" + name;
      if (xml.compare(j, 2, "/>") == 0) {
        j += 2;
        if (open.empty()) ++roots;
        break;
      }
      if (xml[j] == '>') {
        ++j;
        if (open.empty()) ++roots;
        open.push_back(name);
        break;
      }
      size_t eq = xml.find('=', j);
      if (eq == std::string::npos || xml[eq + 1] != '"') return "unquoted attribute in <" + name;
      size_t close = xml.find('"', eq + 2);
      if (close == std::string::npos) return "unterminated attribute in <" + name;
      std::string value = xml.substr(eq + 2, close - eq - 2);
      if (value.find('<') != std::string::npos) return "'<' in an attribute of <" + name;
      for (size_t k = value.find('&'); k != std::string::npos; k = value.find('&', k + 1)) {
        if (!entity_ok(eq + 2 + k)) return "bad entity in an attribute of <" + name;
      }
      j = close + 1;
    }
    i = j;
  }
  if (!open.empty()) return "unclosed <" + open.back() + ">";
  if (roots != 1) return std::to_string(roots) + " root elements";
  return "";
}

// The values of attribute `name` of every element that has class `cls`, in order.
std::vector<double> Attributes(const std::string& svg, const std::string& cls,
                               const std::string& name) {
  std::vector<double> out;
  std::regex element("<[a-z]+ class=\"" + cls + "\"[^>]*>");
  std::regex attribute(" " + name + "=\"([-0-9.]+)\"");
  for (auto it = std::sregex_iterator(svg.begin(), svg.end(), element);
       it != std::sregex_iterator(); ++it) {
    std::smatch m;
    std::string tag = it->str();
    if (std::regex_search(tag, m, attribute))
      out.push_back(std::strtod(m[1].str().c_str(), nullptr));
  }
  return out;
}

size_t Count(const std::string& text, const std::string& needle) {
  size_t n = 0;
  for (size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++n;
  return n;
}

ChartFrame Frame() { return {.title = "Claims", .x_label = "agreement", .y_label = "claims"}; }

TEST(AssessSvg, BarChartIsWellFormedWithOneBarPerCategoryAndSeriesAndTheirValues) {
  std::string svg = BarChartSvg(Frame(), {"USMCA", "CAFTA-DR", "NAFTA"},
                                {{"filed", {4, 3, 1}}, {"accepted", {2, 1, 0}}});
  EXPECT_EQ(WellFormed(svg), "") << svg;
  EXPECT_TRUE(svg.starts_with("<svg ")) << svg;
  EXPECT_EQ(svg.find("http"), std::string::npos) << "no external reference, not even xmlns";
  EXPECT_EQ(Count(svg, "class=\"bar\""), 6u);
  for (const char* text : {">USMCA<", ">CAFTA-DR<", ">NAFTA<", ">filed<", ">accepted<", ">4<",
                           ">agreement<", "<title>Claims</title>"}) {
    EXPECT_NE(svg.find(text), std::string::npos) << text;
  }
}

TEST(AssessSvg, AxisTicksAreNiceAndCoverTheMaximum) {
  EXPECT_EQ(AxisTicks(7, true), (std::vector<double>{0, 2, 4, 6, 8}));
  EXPECT_EQ(AxisTicks(100, true), (std::vector<double>{0, 20, 40, 60, 80, 100}));
  EXPECT_EQ(AxisTicks(3, true), (std::vector<double>{0, 1, 2, 3}));
  EXPECT_EQ(AxisTicks(1, true), (std::vector<double>{0, 1}));
  EXPECT_EQ(AxisTicks(0, true), (std::vector<double>{0, 1}));
  auto fractional = AxisTicks(0.3, false);
  ASSERT_EQ(fractional.size(), 4u);
  EXPECT_NEAR(fractional.back(), 0.3, 1e-12);
  auto large = AxisTicks(1234, true);
  EXPECT_EQ(large.back(), 1500);
  EXPECT_LE(large.size(), 7u);
}

TEST(AssessSvg, BarsAreProportionalToTheirValuesOnTheAxis) {
  // Top tick 100: 50 is half the plot's height, 25 a quarter, 0 nothing.
  std::string svg = BarChartSvg(Frame(), {"a", "b", "c", "d"}, {{"n", {50, 100, 25, 0}}});
  auto heights = Attributes(svg, "bar", "height");
  ASSERT_EQ(heights.size(), 4u) << svg;
  EXPECT_GT(heights[1], 100);
  EXPECT_NEAR(heights[0], heights[1] / 2, 0.1);
  EXPECT_NEAR(heights[2], heights[1] / 4, 0.1);
  EXPECT_EQ(heights[3], 0);
  // Every bar stands on the x axis.
  auto ys = Attributes(svg, "bar", "y");
  for (size_t i = 0; i < 4; ++i) EXPECT_NEAR(ys[i] + heights[i], ys[3], 0.11);
  EXPECT_NE(svg.find(">100<"), std::string::npos) << "the top tick is labelled";
}

TEST(AssessSvg, HistogramBucketsKeepTheirOrderAndTouch) {
  std::string svg = HistogramSvg(Frame(), {"0", "1", "2-7", ">90"}, {2, 1, 0, 1});
  EXPECT_EQ(WellFormed(svg), "") << svg;
  auto xs = Attributes(svg, "bar", "x");
  auto widths = Attributes(svg, "bar", "width");
  ASSERT_EQ(xs.size(), 4u);
  for (size_t i = 1; i < xs.size(); ++i) EXPECT_NEAR(xs[i], xs[i - 1] + widths[i - 1] + 1, 0.15);
  EXPECT_LT(svg.find(">2-7<"), svg.find(">&gt;90<"));
}

TEST(AssessSvg, LineChartPlacesPointsByTheirX) {
  // Minutes 0, 1 and 10: the gap between the last two is nine times the first.
  std::string svg = LineChartSvg(Frame(), {0, 1, 10}, {"00:00", "00:01", "00:10"},
                                 {{"blocks", {2, 2, 1}}, {"transactions", {5, 1, 5}}});
  EXPECT_EQ(WellFormed(svg), "") << svg;
  EXPECT_EQ(Count(svg, "<polyline"), 2u);
  std::regex circle("<circle cx=\"([0-9.]+)\"");
  std::vector<double> cx;
  for (auto it = std::sregex_iterator(svg.begin(), svg.end(), circle); it != std::sregex_iterator();
       ++it) {
    cx.push_back(std::strtod((*it)[1].str().c_str(), nullptr));
  }
  ASSERT_EQ(cx.size(), 6u);
  EXPECT_NEAR((cx[2] - cx[1]) / (cx[1] - cx[0]), 9, 0.05);
  EXPECT_NE(svg.find(">00:10<"), std::string::npos);
  EXPECT_NE(svg.find(">transactions<"), std::string::npos) << "a legend for two series";
}

TEST(AssessSvg, NoCategoriesOrOnlyZerosGiveTheNoDataChart) {
  for (const std::string& svg :
       {BarChartSvg(Frame(), {}, {}), BarChartSvg(Frame(), {"met", "missed"}, {{"n", {0, 0}}}),
        HistogramSvg(Frame(), {}, {}), HistogramSvg(Frame(), {"0", "1"}, {0, 0}),
        LineChartSvg(Frame(), {}, {}, {{"blocks", {}}}), NoDataSvg(Frame())}) {
    EXPECT_EQ(WellFormed(svg), "") << svg;
    EXPECT_NE(svg.find(">no data<"), std::string::npos) << svg;
    EXPECT_NE(svg.find("no-data"), std::string::npos) << svg;
    EXPECT_EQ(svg.find("class=\"bar\""), std::string::npos) << svg;
  }
}

TEST(AssessSvg, EveryTextIsEscaped) {
  ChartFrame frame{.title = "a \"quoted\" <title> & 'more'", .x_label = "<x>", .y_label = "y & z"};
  std::string planted = "<script>alert('x')</script>";
  for (const std::string& svg :
       {BarChartSvg(frame, {planted, "R&D"}, {{"<series>", {1, 2}}, {"b", {2, 1}}}),
        HistogramSvg(frame, {planted}, {3}),
        LineChartSvg(frame, {1, 2}, {planted, "b"}, {{"<s>", {1, 2}}}), NoDataSvg(frame)}) {
    EXPECT_EQ(WellFormed(svg), "") << svg;
    EXPECT_EQ(svg.find("<script"), std::string::npos) << svg;
    EXPECT_EQ(svg.find("<x>"), std::string::npos) << svg;
    EXPECT_EQ(svg.find("<title> &"), std::string::npos) << svg;
  }
  EXPECT_EQ(EscapeXml("<a href=\"x\">R&D's</a>"),
            "&lt;a href=&quot;x&quot;&gt;R&amp;D&#39;s&lt;/a&gt;");
  EXPECT_EQ(EscapeXml(std::string("bell\x07 nul") + '\0'), "bell? nul?");
  EXPECT_EQ(EscapeXml("línea\n"), "línea\n") << "UTF-8 and newlines pass";
}

TEST(AssessSvg, LongLabelsAreShortenedAndTurnedButKeptWholeInTheirTooltip) {
  std::string long_label = "a validator with a very long name indeed (validator-brokers)";
  std::string svg = BarChartSvg(Frame(), {long_label, "b", "c", "d", "e", "f", "g", "h"},
                                {{"n", {1, 2, 3, 4, 5, 6, 7, 8}}});
  EXPECT_EQ(WellFormed(svg), "") << svg;
  EXPECT_NE(svg.find("rotate(-40"), std::string::npos);
  EXPECT_NE(svg.find("<title>" + long_label + "</title>"), std::string::npos);
  EXPECT_NE(svg.find("\u2026"), std::string::npos);
}

TEST(AssessSvg, ValuesPrintAsIntegersOrWithAtMostTwoDecimals) {
  EXPECT_EQ(FormatValue(12), "12");
  EXPECT_EQ(FormatValue(33.3), "33.3");
  EXPECT_EQ(FormatValue(100.0 / 3), "33.33");
  EXPECT_EQ(FormatValue(0.25), "0.25");
  EXPECT_EQ(FormatValue(-0.0), "0");
  EXPECT_EQ(FormatValue(1500), "1500");
}

}  // namespace
}  // namespace tradeledger::assess
