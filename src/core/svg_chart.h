// Charts drawn on the server as SVG: one look for UI pages, printed reports
// and exports, and nothing for the browser to run. Four kinds from plain data:
// a line chart, a bar chart, a donut and a heat map.
//
// Every chart is a standalone <svg xmlns="http://www.w3.org/2000/svg"
// viewBox=... role="img"> whose first children are <title> (the caller's
// title) and <desc> (the caller's description, or a generated summary).
// Output is safe to inline in a page under a strict Content-Security-Policy:
//  - all text is XML-escaped; invalid UTF-8 becomes U+FFFD and control
//    characters become spaces, so user-entered labels render inert and the
//    document stays well-formed;
//  - no scripts, event handlers, links, external references, ids, <style>
//    elements or style= attributes: presentation attributes only (fill,
//    stroke, font-size...), and a class on each data mark (point, bar, slice,
//    cell) for pages that want to restyle them from their own stylesheet;
//  - deterministic: the same input gives the same bytes; numbers are written
//    with '.' and at most two decimals (coordinates) whatever the locale.
//
// Missing data: a non-finite value (NaN, infinity) is treated as missing,
// never drawn as a coordinate; what "missing" looks like is said per chart.
// Magnitudes above 1e15 are clamped to +-1e15. No data at all draws the
// empty frame with the text "No data". Labels longer than the chart has room
// for are cut, ending in "…"; the full text stays in the caller's hands.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace tandem {

// One line of a line chart: y[i] is its value at the chart's x_labels[i]. A
// series shorter than x_labels is missing at the remaining positions; values
// past the end of x_labels are ignored.
struct LineSeries {
  std::string name;
  std::vector<double> y;
};

// Series over one shared, evenly spaced category axis. The x axis is a list
// of labels rather than values so that points line up across series and two
// points with the same label (two assessments on one day) stay apart.
struct LineChart {
  std::string title;
  std::string description;  // empty: a summary is generated
  std::vector<std::string> x_labels;
  std::vector<LineSeries> series;
  std::string y_label;  // unit or name of the y axis, e.g. "%"; empty for none
  // A fixed y range (e.g. 0-100 for percentages) when y_min < y_max; values
  // outside it are drawn at its edge. Otherwise the range is taken from the
  // data, always including 0, and widened to round ticks.
  double y_min = 0;
  double y_max = 0;
};

// Draws each series as a polyline with a marker (class="point") at each
// present value; a missing value breaks the line. A single series with at
// most 12 points also prints each value above its marker. More than one
// series gets a legend. X labels are thinned out when they would overlap.
std::string LineChartSvg(const LineChart& chart);

struct Bar {
  std::string label;
  double value = 0;
};

// One series of vertical bars from a zero baseline (negative values go down).
struct BarChart {
  std::string title;
  std::string description;  // empty: a summary is generated
  std::vector<Bar> bars;
  std::string y_label;
};

// Each bar with a finite value is a <rect class="bar"> with its value printed
// at its end; a missing value keeps its slot and label but draws no bar.
std::string BarChartSvg(const BarChart& chart);

struct Slice {
  std::string label;
  double value = 0;
};

struct DonutChart {
  std::string title;
  std::string description;  // empty: a summary is generated
  std::vector<Slice> slices;
  std::string total_label;  // printed under the total, e.g. "risks"; empty for none
};

// Slices clockwise from 12 o'clock in the given order, each a <path
// class="slice">, with the total of the drawn slices in the middle and a
// legend (label, value, percent). Only positive finite values are drawn and
// counted; zero slices stay in the legend, negative and missing ones are left
// out. All zero: a grey ring with total 0.
std::string DonutSvg(const DonutChart& chart);

// A grid of values, e.g. a 5x5 likelihood x impact matrix: values[r][c] is
// the cell in row r (top to bottom, as given) and column c (left to right).
struct HeatMap {
  std::string title;
  std::string description;  // empty: a summary is generated
  std::vector<std::string> row_labels;
  std::vector<std::string> column_labels;
  std::vector<std::vector<double>> values;  // ragged or short rows: missing cells
  std::string row_title;                    // e.g. "Likelihood"; empty for none
  std::string column_title;                 // e.g. "Impact"; empty for none
};

// rows x columns cells (<rect class="cell">), as many as there are labels or
// values, whichever is more (a missing label is left blank). Each cell shows
// its value and is shaded on a five-step sequential scale from 0 (or the
// lowest value, if negative) to the highest; a missing cell is light grey
// without text. A legend shows the five shades between the lowest and highest value.
std::string HeatMapSvg(const HeatMap& chart);

// --- Building blocks, exposed for other SVG output and for tests. ---

// `text` escaped for XML text and attribute values (& < > " '), with invalid
// UTF-8 replaced by U+FFFD and characters XML 1.0 forbids (controls other
// than tab, line feed and carriage return, U+FFFE, U+FFFF) by spaces.
std::string SvgEscape(std::string_view text);

// `text` cut to at most `max_chars` characters (Unicode code points, never
// splitting one), the last being "…" when it was cut. Not escaped.
std::string SvgTruncate(std::string_view text, std::size_t max_chars);

// `v` with at most `decimals` decimals, trailing zeros dropped, '.' as the
// separator, "-0" written as "0", and non-finite values as "0" so a coordinate
// is always valid.
std::string SvgNumber(double v, int decimals = 2);

// Round tick values covering [lo, hi]: steps of 1, 2, 2.5 or 5 times a power
// of ten, about `target` intervals. With `extend` the range is widened to the
// outer ticks, otherwise only ticks inside [lo, hi] are returned (both ends
// included when they fall on a step). lo >= hi gives {lo}.
std::vector<double> SvgTicks(double lo, double hi, int target, bool extend);

}  // namespace tandem
