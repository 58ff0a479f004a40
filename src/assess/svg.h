// Charts of the assessment report as inline SVG: pure functions from numbers and labels to an
// SVG element, meant to be embedded in an HTML page (no XML declaration, no xmlns, no external
// references, no script). Every text is escaped; coordinates are in the viewBox, so the chart
// scales with the page.
//
// The y axis runs from 0 to a "nice" top (1, 2 or 5 times a power of ten, AxisTicks); negative
// values are drawn as 0. A chart with no category, or no value above 0, is the "no data" chart.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace tradeledger::assess {

struct ChartFrame {
  std::string title;    // the chart's accessible name (<title>)
  std::string x_label;  // under the x axis; empty: none
  std::string y_label;  // beside the y axis; empty: none
  int width = 720;
  int height = 300;
};

// One named series of values, one per category (or x position); missing values count as 0.
struct Series {
  std::string name;
  std::vector<double> values;
};

// `text` with &, <, >, " and ' replaced by entities and control characters that XML forbids
// replaced by '?': safe in element content and in quoted attributes, in SVG and HTML alike.
std::string EscapeXml(std::string_view text);

// A value as the charts print it: integers without a decimal point, others with at most two
// decimals ("12", "33.3", "0.25").
std::string FormatValue(double value);

// The y ticks for values up to `max_value`: 0, step, 2*step, ... up to the first tick at or
// above it, the step 1, 2 or 5 times a power of ten giving at most about six ticks. With
// `integral`, the step is at least 1 (counts). At least {0, 1}.
std::vector<double> AxisTicks(double max_value, bool integral);

// A frame saying "no data".
std::string NoDataSvg(const ChartFrame& frame);

// Vertical bars per category; several series are grouped side by side, with a legend.
std::string BarChartSvg(const ChartFrame& frame, const std::vector<std::string>& categories,
                        const std::vector<Series>& series);

// Adjacent bars, one per bucket (the buckets in order, each labelled).
std::string HistogramSvg(const ChartFrame& frame, const std::vector<std::string>& buckets,
                         const std::vector<double>& counts);

// One polyline per series over numeric x positions `x` (ascending; for time, e.g. minutes since
// the epoch); `x_labels[i]` names x[i] and up to six of them label the x axis.
std::string LineChartSvg(const ChartFrame& frame, const std::vector<double>& x,
                         const std::vector<std::string>& x_labels,
                         const std::vector<Series>& series);

}  // namespace tradeledger::assess
