#include "core/svg_chart.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>
#include <numbers>

namespace tandem {

namespace {

// Okabe-Ito colours (yellow left out: too light on white), distinguishable
// with the common colour-vision deficiencies. More series than colours reuse
// them in order.
constexpr const char* kPalette[] = {"#0072B2", "#D55E00", "#009E73", "#CC79A7",
                                    "#E69F00", "#56B4E9", "#000000", "#999999"};
constexpr std::size_t kPaletteSize = sizeof kPalette / sizeof kPalette[0];

// ColorBrewer "Blues", five steps: a sequential scale that reads from few to
// many in grey print too. The text on the three lighter steps is dark.
constexpr const char* kHeat[] = {"#EFF3FF", "#BDD7E7", "#6BAED6", "#3182BD", "#08519C"};
constexpr int kHeatSteps = 5;

constexpr const char* kInk = "#1A1A1A";      // text
constexpr const char* kMuted = "#595959";    // axis labels (7:1 on white)
constexpr const char* kGrid = "#E0E0E0";     // grid lines
constexpr const char* kAxis = "#737373";     // axis lines
constexpr const char* kMissing = "#F2F2F2";  // empty ring, missing cells
constexpr double kClamp = 1e15;

// Width of one character of sans-serif text, as a fraction of the font
// size: an estimate good enough to keep labels from overlapping, since the
// server cannot measure text.
constexpr double kCharWidth = 0.6;

const char* Colour(std::size_t i) { return kPalette[i % kPaletteSize]; }

bool Present(double v) { return std::isfinite(v); }
double Clamp(double v) { return std::clamp(v, -kClamp, kClamp); }

// The decimals that tell ticks `step` apart, for their labels.
int TickDecimals(double step) {
  if (!(step > 0)) return 0;
  return std::clamp(static_cast<int>(-std::floor(std::log10(step) + 1e-9)) + 1, 0, 10);
}

// Appends one attribute value or text node.
void Esc(std::string& out, std::string_view text) { out += SvgEscape(text); }

void Num(std::string& out, double v) { out += SvgNumber(v); }

// ` name="v"`, the number written as SvgNumber does.
void AttrNum(std::string& out, const char* name, double v) {
  out += ' ';
  out += name;
  out += "=\"";
  Num(out, v);
  out += '"';
}

// ` name="v"` for a value that is already safe (a colour, an anchor).
void AttrText(std::string& out, const char* name, std::string_view v) {
  out += ' ';
  out += name;
  out += "=\"";
  out += v;
  out += '"';
}

// Further attributes, already safe, such as font-weight.
void Extra(std::string& out, std::string_view extra) {
  if (extra.empty()) return;
  out += ' ';
  out += extra;
}

// <text> at (x, y); anchor is start, middle or end.
void Text(std::string& out, double x, double y, std::string_view text, const char* anchor,
          double size, const char* fill, std::string_view extra = "") {
  out += "<text";
  AttrNum(out, "x", x);
  AttrNum(out, "y", y);
  AttrText(out, "text-anchor", anchor);
  AttrNum(out, "font-size", size);
  AttrText(out, "fill", fill);
  Extra(out, extra);
  out += '>';
  Esc(out, text);
  out += "</text>\n";
}

void Line(std::string& out, double x1, double y1, double x2, double y2, const char* stroke,
          double width = 1) {
  out += "<line";
  AttrNum(out, "x1", x1);
  AttrNum(out, "y1", y1);
  AttrNum(out, "x2", x2);
  AttrNum(out, "y2", y2);
  AttrText(out, "stroke", stroke);
  AttrNum(out, "stroke-width", width);
  out += "/>\n";
}

// <rect>; `cls` empty for none.
void Rect(std::string& out, const char* cls, double x, double y, double w, double h,
          const char* fill, std::string_view extra = "") {
  out += "<rect";
  if (*cls) AttrText(out, "class", cls);
  AttrNum(out, "x", x);
  AttrNum(out, "y", y);
  AttrNum(out, "width", std::max(0.0, w));
  AttrNum(out, "height", std::max(0.0, h));
  AttrText(out, "fill", fill);
  Extra(out, extra);
  out += "/>\n";
}

// The root element, <title>, <desc>, a white background (charts stay
// readable on dark pages) and the visible title, cut to the width.
std::string Open(double width, double height, const std::string& title, const std::string& desc) {
  std::string out = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 ";
  Num(out, width);
  out += ' ';
  Num(out, height);
  out += '"';
  AttrNum(out, "width", width);
  AttrNum(out, "height", height);
  out += " role=\"img\" font-family=\"sans-serif\">\n<title>";
  Esc(out, title);
  out += "</title>\n<desc>";
  Esc(out, desc);
  out += "</desc>\n";
  Rect(out, "", 0, 0, width, height, "#FFFFFF");
  const auto room = static_cast<std::size_t>((width - 32) / (15 * kCharWidth));
  Text(out, 16, 26, SvgTruncate(title, room), "start", 15, kInk, "font-weight=\"bold\"");
  return out;
}

std::string Close(std::string out) {
  out += "</svg>\n";
  return out;
}

void NoData(std::string& out, double x, double y) {
  Text(out, x, y, "No data", "middle", 14, kMuted);
}

// "a to b" for descriptions.
std::string Span(double lo, double hi) { return SvgNumber(lo) + " to " + SvgNumber(hi); }

// --- Axes shared by the line and bar charts. ---

constexpr double kWidth = 640, kHeight = 320;
constexpr double kLeft = 64, kRight = 24, kTop = 56, kBottom = 40, kLegend = 22;
constexpr double kLabelSize = 11;
constexpr std::size_t kLabelChars = 16;

struct Plot {
  double x0, x1, y0, y1;  // left, right, top, bottom in pixels
  double lo, hi;          // the y range
  std::vector<double> ticks;

  double Y(double v) const {
    if (!(lo < hi)) return y1;
    v = std::clamp(v, lo, hi);
    return y1 - (v - lo) / (hi - lo) * (y1 - y0);
  }
  // The centre of slot i of n evenly spaced categories.
  double X(std::size_t i, std::size_t n) const {
    return x0 + (static_cast<double>(i) + 0.5) * (x1 - x0) / static_cast<double>(n);
  }
};

// The y range: the fixed one when valid, else the data's with 0, widened to
// round ticks; [0, 1] with no data or all zero, so there is always an axis.
Plot MakePlot(const std::vector<double>& values, double fixed_min, double fixed_max,
              double bottom) {
  Plot p{kLeft, kWidth - kRight, kTop, bottom, 0, 1, {}};
  fixed_min = Present(fixed_min) ? Clamp(fixed_min) : 0;
  fixed_max = Present(fixed_max) ? Clamp(fixed_max) : 0;
  if (fixed_min < fixed_max) {
    p.lo = fixed_min;
    p.hi = fixed_max;
    p.ticks = SvgTicks(p.lo, p.hi, 5, false);
    return p;
  }
  double lo = 0, hi = 0;
  for (double v : values) {
    lo = std::min(lo, v);
    hi = std::max(hi, v);
  }
  if (lo == hi) hi = lo + 1;
  p.ticks = SvgTicks(lo, hi, 5, true);
  p.lo = p.ticks.front();
  p.hi = p.ticks.back();
  return p;
}

void DrawAxes(std::string& out, const Plot& p, const std::string& y_label) {
  const int decimals = p.ticks.size() > 1 ? TickDecimals(p.ticks[1] - p.ticks[0]) : 2;
  for (double t : p.ticks) {
    const double y = p.Y(t);
    Line(out, p.x0, y, p.x1, y, kGrid);
    Text(out, p.x0 - 8, y + 4, SvgNumber(t, decimals), "end", kLabelSize, kMuted);
  }
  Line(out, p.x0, p.y0, p.x0, p.y1, kAxis);
  // The baseline sits at zero when zero is inside the range, so negative
  // values read as below it.
  Line(out, p.x0, p.Y(0), p.x1, p.Y(0), kAxis);
  if (!y_label.empty())
    Text(out, p.x0 - 8, p.y0 - 12, SvgTruncate(y_label, 24), "start", kLabelSize, kMuted);
}

// Category labels under the plot, every k-th one when they would overlap.
void DrawXLabels(std::string& out, const Plot& p, const std::vector<std::string>& labels) {
  if (labels.empty()) return;
  std::size_t longest = 1;
  for (const auto& l : labels) longest = std::max(longest, SvgTruncate(l, kLabelChars).size());
  // Byte length overestimates non-ASCII text, which errs on the side of room.
  const double need = std::min<double>(longest, kLabelChars) * kLabelSize * kCharWidth + 8;
  const double slot = (p.x1 - p.x0) / static_cast<double>(labels.size());
  const auto every = static_cast<std::size_t>(std::max(1.0, std::ceil(need / slot)));
  for (std::size_t i = 0; i < labels.size(); i += every)
    Text(out, p.X(i, labels.size()), p.y1 + 16, SvgTruncate(labels[i], kLabelChars), "middle",
         kLabelSize, kMuted);
}

std::string DescribeRange(const std::vector<double>& values) {
  if (values.empty()) return "No data.";
  const auto [lo, hi] = std::minmax_element(values.begin(), values.end());
  return "Values from " + Span(*lo, *hi) + ".";
}

struct Point {
  double x, y;
};

// The point at `angle` radians clockwise from 12 o'clock on a circle (SVG's
// y axis points down).
Point Polar(double cx, double cy, double r, double angle) {
  return {cx + r * std::sin(angle), cy - r * std::cos(angle)};
}

void Move(std::string& out, char cmd, Point p) {
  out += cmd;
  Num(out, p.x);
  out += ',';
  Num(out, p.y);
  out += ' ';
}

void Arc(std::string& out, double r, bool large, bool clockwise, Point to) {
  out += 'A';
  Num(out, r);
  out += ' ';
  Num(out, r);
  out += " 0 ";
  out += large ? '1' : '0';
  out += ' ';
  out += clockwise ? '1' : '0';
  out += ' ';
  Num(out, to.x);
  out += ',';
  Num(out, to.y);
  out += ' ';
}

// A whole ring as one path: two half circles outside, two inside, filled
// even-odd. An arc cannot end where it starts, so a slice of (almost) 100%
// must be drawn this way.
std::string RingPath(double cx, double cy, double r_out, double r_in) {
  std::string d;
  for (double r : {r_out, r_in}) {
    Move(d, 'M', {cx, cy - r});
    Arc(d, r, true, true, {cx, cy + r});
    Arc(d, r, true, true, {cx, cy - r});
    d += "Z ";
  }
  d.pop_back();
  return d;
}

std::string SectorPath(double cx, double cy, double r_out, double r_in, double a0, double a1) {
  const bool large = a1 - a0 > std::numbers::pi;
  std::string d;
  Move(d, 'M', Polar(cx, cy, r_out, a0));
  Arc(d, r_out, large, true, Polar(cx, cy, r_out, a1));
  Move(d, 'L', Polar(cx, cy, r_in, a1));
  Arc(d, r_in, large, false, Polar(cx, cy, r_in, a0));
  d += 'Z';
  return d;
}

void Path(std::string& out, const char* cls, const std::string& d, const char* fill,
          std::string_view extra = "") {
  out += "<path class=\"";
  out += cls;
  out += "\" d=\"";
  out += d;
  out += "\" fill=\"";
  out += fill;
  out += '"';
  if (!extra.empty()) {
    out += ' ';
    out += extra;
  }
  out += "/>\n";
}

}  // namespace

// --- Building blocks. ---

std::string SvgEscape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(s[i]); };
  const auto cont = [&](std::size_t i, unsigned char lo = 0x80, unsigned char hi = 0xBF) {
    return i < s.size() && byte(i) >= lo && byte(i) <= hi;
  };
  for (std::size_t i = 0; i < s.size();) {
    const unsigned char c = byte(i);
    if (c < 0x80) {
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
          out += static_cast<char>(c);
          break;
        default:
          out += c < 0x20 ? ' ' : static_cast<char>(c);
      }
      ++i;
      continue;
    }
    // A well-formed sequence by RFC 3629: no overlong forms, no surrogates,
    // nothing above U+10FFFF.
    std::size_t n = 0;
    if (c >= 0xC2 && c <= 0xDF)
      n = cont(i + 1) ? 2 : 0;
    else if (c >= 0xE0 && c <= 0xEF)
      n = cont(i + 1, c == 0xE0 ? 0xA0 : 0x80, c == 0xED ? 0x9F : 0xBF) && cont(i + 2) ? 3 : 0;
    else if (c >= 0xF0 && c <= 0xF4)
      n = cont(i + 1, c == 0xF0 ? 0x90 : 0x80, c == 0xF4 ? 0x8F : 0xBF) && cont(i + 2) &&
                  cont(i + 3)
              ? 4
              : 0;
    if (n == 0) {
      out += "\xEF\xBF\xBD";  // U+FFFD for each byte that starts no valid sequence
      ++i;
      continue;
    }
    // U+FFFE and U+FFFF are not XML characters.
    if (n == 3 && c == 0xEF && byte(i + 1) == 0xBF && byte(i + 2) >= 0xBE)
      out += ' ';
    else
      out.append(s.substr(i, n));
    i += n;
  }
  return out;
}

std::string SvgTruncate(std::string_view s, std::size_t max_chars) {
  // Each byte that is not a continuation byte starts a character; cutting
  // only before such a byte never splits one.
  std::size_t chars = 0, cut = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if ((static_cast<unsigned char>(s[i]) & 0xC0) == 0x80) continue;
    if (chars + 1 == max_chars) cut = i;  // where "…" would go
    if (++chars > max_chars) return std::string(s.substr(0, cut)) + (max_chars ? "…" : "");
  }
  return std::string(s);
}

std::string SvgNumber(double v, int decimals) {
  if (!Present(v)) v = 0;
  decimals = std::clamp(decimals, 0, 17);
  // Fixed notation of any double fits: at most 309 digits, a sign, a point
  // and 17 decimals.
  char buf[400];
  const auto r = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::fixed, decimals);
  std::string out(buf, r.ptr);
  if (out.find('.') != std::string::npos) {
    while (out.back() == '0') out.pop_back();
    if (out.back() == '.') out.pop_back();
  }
  if (out == "-0") out = "0";
  return out;
}

std::vector<double> SvgTicks(double lo, double hi, int target, bool extend) {
  if (!Present(lo) || !Present(hi) || !(lo < hi)) return {Present(lo) ? lo : 0};
  lo = Clamp(lo);
  hi = Clamp(hi);
  const double raw = (hi - lo) / std::max(1, target);
  const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
  double step = 10 * magnitude;
  for (double m : {1.0, 2.0, 2.5, 5.0})
    if (raw <= m * magnitude * (1 + 1e-9)) {
      step = m * magnitude;
      break;
    }
  // Ticks are whole multiples of the step, computed from their index rather
  // than by adding steps, so rounding errors do not pile up.
  const double first = extend ? std::floor(lo / step + 1e-9) : std::ceil(lo / step - 1e-9);
  const double last = extend ? std::ceil(hi / step - 1e-9) : std::floor(hi / step + 1e-9);
  std::vector<double> ticks;
  for (double k = first; k <= last && ticks.size() < 100; ++k) ticks.push_back(k * step);
  if (ticks.empty()) ticks.push_back(lo);
  return ticks;
}

// --- Line chart. ---

std::string LineChartSvg(const LineChart& chart) {
  const std::size_t n = chart.x_labels.size();
  std::vector<double> present;
  for (const auto& s : chart.series)
    for (std::size_t i = 0; i < std::min(n, s.y.size()); ++i)
      if (Present(s.y[i])) present.push_back(Clamp(s.y[i]));
  const bool legend = chart.series.size() > 1;
  const Plot p =
      MakePlot(present, chart.y_min, chart.y_max, kHeight - kBottom - (legend ? kLegend : 0));

  std::string desc = chart.description;
  if (desc.empty()) {
    desc = "Line chart of " + std::to_string(chart.series.size()) + " series over " +
           std::to_string(n) + " points";
    if (n > 0) desc += " (" + chart.x_labels.front() + " to " + chart.x_labels.back() + ")";
    desc += "; y axis from " + Span(p.lo, p.hi) +
            (chart.y_label.empty() ? "" : " " + chart.y_label) + ". " + DescribeRange(present);
  }
  std::string out = Open(kWidth, kHeight, chart.title, desc);
  DrawAxes(out, p, chart.y_label);
  DrawXLabels(out, p, chart.x_labels);
  if (present.empty()) NoData(out, (p.x0 + p.x1) / 2, (p.y0 + p.y1) / 2);

  const bool values = chart.series.size() == 1 && n <= 12;
  for (std::size_t si = 0; si < chart.series.size(); ++si) {
    const auto& s = chart.series[si];
    const char* colour = Colour(si);
    const std::size_t m = std::min(n, s.y.size());
    // Runs of present values become polylines; a lone value is a marker only.
    for (std::size_t i = 0; i < m;) {
      if (!Present(s.y[i])) {
        ++i;
        continue;
      }
      std::size_t j = i;
      while (j < m && Present(s.y[j])) ++j;
      if (j - i > 1) {
        out += "<polyline points=\"";
        for (std::size_t k = i; k < j; ++k) {
          if (k > i) out += ' ';
          Num(out, p.X(k, n));
          out += ',';
          Num(out, p.Y(Clamp(s.y[k])));
        }
        out += "\" fill=\"none\" stroke=\"";
        out += colour;
        out += "\" stroke-width=\"2\" stroke-linejoin=\"round\"/>\n";
      }
      i = j;
    }
    for (std::size_t i = 0; i < m; ++i) {
      if (!Present(s.y[i])) continue;
      const double x = p.X(i, n), y = p.Y(Clamp(s.y[i]));
      out += "<circle class=\"point\" cx=\"";
      Num(out, x);
      out += "\" cy=\"";
      Num(out, y);
      out += "\" r=\"3.5\" fill=\"";
      out += colour;
      out += "\" stroke=\"#FFFFFF\" stroke-width=\"1\"/>\n";
      if (values) Text(out, x, y - 8, SvgNumber(s.y[i]), "middle", kLabelSize, kInk);
    }
  }
  if (legend) {
    double x = p.x0;
    const double y = kHeight - 12;
    for (std::size_t si = 0; si < chart.series.size(); ++si) {
      const std::string name = SvgTruncate(chart.series[si].name, 20);
      const double w = 24 + static_cast<double>(name.size()) * kLabelSize * kCharWidth + 16;
      if (x + w > kWidth && si > 0) {
        Text(out, x, y, "…", "start", kLabelSize, kMuted);
        break;
      }
      Line(out, x, y - 4, x + 18, y - 4, Colour(si), 2);
      Text(out, x + 24, y, name, "start", kLabelSize, kInk);
      x += w;
    }
  }
  return Close(std::move(out));
}

// --- Bar chart. ---

std::string BarChartSvg(const BarChart& chart) {
  const std::size_t n = chart.bars.size();
  std::vector<double> present;
  std::vector<std::string> labels;
  for (const auto& b : chart.bars) {
    if (Present(b.value)) present.push_back(Clamp(b.value));
    labels.push_back(b.label);
  }
  const Plot p = MakePlot(present, 0, 0, kHeight - kBottom);
  std::string desc = chart.description;
  if (desc.empty())
    desc = "Bar chart of " + std::to_string(n) + " categories" +
           (chart.y_label.empty() ? "" : " (" + chart.y_label + ")") + ". " +
           DescribeRange(present);
  std::string out = Open(kWidth, kHeight, chart.title, desc);
  DrawAxes(out, p, chart.y_label);
  DrawXLabels(out, p, labels);
  if (present.empty()) NoData(out, (p.x0 + p.x1) / 2, (p.y0 + p.y1) / 2);

  const double slot = n ? (p.x1 - p.x0) / static_cast<double>(n) : 0;
  const double width = std::min(64.0, slot * 0.7);
  const double zero = p.Y(0);
  const bool values = slot >= 28;  // room for a value over each bar
  for (std::size_t i = 0; i < n; ++i) {
    const double v = chart.bars[i].value;
    if (!Present(v)) continue;
    const double x = p.X(i, n), y = p.Y(Clamp(v));
    Rect(out, "bar", x - width / 2, std::min(y, zero), width, std::abs(zero - y), kPalette[0]);
    if (!values) continue;
    // A value goes past the bar's end, except that a long negative bar,
    // which may reach the category labels, carries it inside in white.
    if (v >= 0)
      Text(out, x, y - 5, SvgNumber(v), "middle", kLabelSize, kInk);
    else if (y - zero >= 18)
      Text(out, x, y - 6, SvgNumber(v), "middle", kLabelSize, "#FFFFFF");
    else
      Text(out, x, y + 14, SvgNumber(v), "middle", kLabelSize, kInk);
  }
  return Close(std::move(out));
}

// --- Donut. ---

std::string DonutSvg(const DonutChart& chart) {
  constexpr double kW = 520, kH = 300, kCx = 150, kCy = 168, kOuter = 100, kInner = 62;
  double total = 0;
  std::size_t valid = 0, drawn = 0;
  for (const auto& s : chart.slices)
    if (Present(s.value) && s.value >= 0) {
      total += Clamp(s.value);
      ++valid;
      drawn += s.value > 0;
    }
  std::string desc = chart.description;
  if (desc.empty())
    desc = valid == 0
               ? "Donut chart. No data."
               : "Donut chart of " + std::to_string(valid) + " slices; total " + SvgNumber(total) +
                     (chart.total_label.empty() ? "" : " " + chart.total_label) + ".";
  std::string out = Open(kW, kH, chart.title, desc);

  if (drawn == 0)
    Path(out, "ring", RingPath(kCx, kCy, kOuter, kInner), kMissing, "fill-rule=\"evenodd\"");
  double angle = 0;
  std::size_t colour = 0;
  for (const auto& s : chart.slices) {
    if (!Present(s.value) || s.value < 0) continue;
    const char* fill = Colour(colour++);
    if (s.value == 0) continue;
    const double span = 2 * std::numbers::pi * Clamp(s.value) / total;
    const std::string d = span > 2 * std::numbers::pi * (1 - 1e-4)
                              ? RingPath(kCx, kCy, kOuter, kInner)
                              : SectorPath(kCx, kCy, kOuter, kInner, angle, angle + span);
    // A white edge keeps neighbours apart when the palette repeats.
    Path(out, "slice", d, fill, "fill-rule=\"evenodd\" stroke=\"#FFFFFF\" stroke-width=\"1\"");
    angle += span;
  }
  if (valid == 0) {
    NoData(out, kCx, kCy + 5);
    return Close(std::move(out));
  }
  Text(out, kCx, kCy + (chart.total_label.empty() ? 8 : 2), SvgNumber(total), "middle", 24, kInk,
       "font-weight=\"bold\"");
  if (!chart.total_label.empty())
    Text(out, kCx, kCy + 22, SvgTruncate(chart.total_label, 14), "middle", 12, kMuted);

  // The legend: as many lines as fit, then how many were left out.
  constexpr double kLegendX = 290, kLegendY = 72, kStep = 20;
  constexpr std::size_t kLines = 10;
  std::size_t line = 0;
  colour = 0;
  for (const auto& s : chart.slices) {
    if (!Present(s.value) || s.value < 0) continue;
    const char* fill = Colour(colour++);
    const double y = kLegendY + static_cast<double>(line) * kStep;
    if (line == kLines - 1 && valid > kLines) {
      Text(out, kLegendX, y + 10, "+" + std::to_string(valid - line) + " more", "start", 12,
           kMuted);
      break;
    }
    Rect(out, "", kLegendX, y, 12, 12, fill);
    const double pct = total > 0 ? Clamp(s.value) * 100 / total : 0;
    Text(out, kLegendX + 18, y + 10,
         SvgTruncate(s.label, 18) + "  " + SvgNumber(s.value) + " (" + SvgNumber(pct, 1) + "%)",
         "start", 12, kInk);
    ++line;
  }
  return Close(std::move(out));
}

// --- Heat map. ---

std::string HeatMapSvg(const HeatMap& chart) {
  std::size_t rows = std::max(chart.row_labels.size(), chart.values.size());
  std::size_t cols = chart.column_labels.size();
  for (const auto& r : chart.values) cols = std::max(cols, r.size());
  const auto value = [&](std::size_t r, std::size_t c) {
    return r < chart.values.size() && c < chart.values[r].size()
               ? chart.values[r][c]
               : std::numeric_limits<double>::quiet_NaN();
  };
  std::vector<double> present;
  for (std::size_t r = 0; r < rows; ++r)
    for (std::size_t c = 0; c < cols; ++c)
      if (Present(value(r, c))) present.push_back(Clamp(value(r, c)));
  if (rows == 0 || cols == 0) rows = cols = 0;

  // Cells shrink for wide grids so that the usual matrices (up to 10
  // columns) keep a readable size and larger ones still fit a page.
  const double cell = std::clamp(560.0 / std::max<double>(1, std::max(rows, cols)), 14.0, 56.0);
  constexpr double kRowLabelChars = 14;
  const double left =
      16 + (chart.row_title.empty() ? 0 : 22) + kRowLabelChars * 11 * kCharWidth + 8;
  const double top = 48;
  const double grid_w = std::max(1.0, static_cast<double>(cols)) * cell;
  const double grid_h = std::max(1.0, static_cast<double>(rows)) * cell;
  const double width = std::max(360.0, left + grid_w + 24);
  const double bottom = top + grid_h + 20 + (chart.column_title.empty() ? 0 : 20);
  const double height = bottom + 44;

  double lo = 0, hi = 0;
  if (!present.empty()) {
    lo = std::min(0.0, *std::min_element(present.begin(), present.end()));
    hi = *std::max_element(present.begin(), present.end());
  }
  const auto step = [&](double v) {
    if (!(hi > lo)) return 0;
    return std::clamp(static_cast<int>((Clamp(v) - lo) / (hi - lo) * kHeatSteps), 0,
                      kHeatSteps - 1);
  };

  std::string desc = chart.description;
  if (desc.empty())
    desc = "Heat map of " + std::to_string(rows) + " rows" +
           (chart.row_title.empty() ? "" : " (" + chart.row_title + ")") + " by " +
           std::to_string(cols) + " columns" +
           (chart.column_title.empty() ? "" : " (" + chart.column_title + ")") + ". " +
           DescribeRange(present);
  std::string out = Open(width, height, chart.title, desc);
  if (rows == 0) {
    Rect(out, "", left, top, grid_w, grid_h, "none", "stroke=\"#737373\"");
    NoData(out, left + grid_w / 2, top + grid_h / 2 + 5);
    return Close(std::move(out));
  }

  const double size = std::min(12.0, cell * 0.4);
  for (std::size_t r = 0; r < rows; ++r) {
    const double y = top + static_cast<double>(r) * cell;
    if (r < chart.row_labels.size())
      Text(out, left - 8, y + cell / 2 + 4, SvgTruncate(chart.row_labels[r], kRowLabelChars), "end",
           kLabelSize, kMuted);
    for (std::size_t c = 0; c < cols; ++c) {
      const double x = left + static_cast<double>(c) * cell;
      const double v = value(r, c);
      const int k = Present(v) ? step(v) : -1;
      Rect(out, "cell", x, y, cell, cell, k < 0 ? kMissing : kHeat[k],
           "stroke=\"#FFFFFF\" stroke-width=\"2\"");
      if (k >= 0)
        Text(out, x + cell / 2, y + cell / 2 + size * 0.35, SvgNumber(v), "middle", size,
             k >= 3 ? "#FFFFFF" : kInk);
    }
  }
  const double grid_bottom = top + grid_h;
  const auto col_chars =
      static_cast<std::size_t>(std::max(1.0, (cell - 4) / (kLabelSize * kCharWidth)));
  for (std::size_t c = 0; c < chart.column_labels.size(); ++c)
    Text(out, left + (static_cast<double>(c) + 0.5) * cell, grid_bottom + 16,
         SvgTruncate(chart.column_labels[c], col_chars), "middle", kLabelSize, kMuted);
  if (!chart.column_title.empty())
    Text(out, left + grid_w / 2, grid_bottom + 36, SvgTruncate(chart.column_title, 40), "middle",
         12, kInk, "font-weight=\"bold\"");
  if (!chart.row_title.empty()) {
    // Rotated to run up the left edge, as a y axis title does.
    const double x = 16 + 12, y = top + grid_h / 2;
    std::string rotate = "font-weight=\"bold\" transform=\"rotate(-90 ";
    rotate += SvgNumber(x) + " " + SvgNumber(y) + ")\"";
    Text(out, x, y, SvgTruncate(chart.row_title, 30), "middle", 12, kInk, rotate);
  }

  // The legend: the five shades from the lowest to the highest value.
  const double ly = bottom + 8;
  Text(out, left, ly + 11, SvgNumber(lo), "end", kLabelSize, kMuted, "dx=\"-6\"");
  for (int k = 0; k < kHeatSteps; ++k)
    Rect(out, "", left + k * 24, ly, 24, 14, kHeat[k], "stroke=\"#BDBDBD\" stroke-width=\"0.5\"");
  Text(out, left + kHeatSteps * 24 + 6, ly + 11, SvgNumber(hi), "start", kLabelSize, kMuted);
  return Close(std::move(out));
}

}  // namespace tandem
