#include "core/svg_chart.h"

#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <limits>
#include <locale>
#include <map>
#include <string>
#include <vector>

namespace tandem {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();

// --- A small, strict XML reader: enough to hold the charts to the rules a
// browser's XML parser and a strict CSP apply. ---

struct Element {
  std::string name;
  std::map<std::string, std::string> attrs;  // values with entities decoded
  std::string text;                          // its own text, entities decoded
  int depth = 0;
};

struct Doc {
  std::string error;              // empty when well-formed
  std::vector<Element> elements;  // in document order

  std::vector<const Element*> All(const std::string& name, const std::string& cls = "") const {
    std::vector<const Element*> out;
    for (const auto& e : elements)
      if (e.name == name && (cls.empty() || (e.attrs.count("class") && e.attrs.at("class") == cls)))
        out.push_back(&e);
    return out;
  }
  std::vector<std::string> Texts() const {
    std::vector<std::string> out;
    for (const auto* e : All("text")) out.push_back(e->text);
    return out;
  }
  bool HasText(const std::string& t) const {
    for (const auto& s : Texts())
      if (s == t) return true;
    return false;
  }
};

bool NameChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == ':' ||
         c == '.';
}

// Decodes the five predefined entities and decimal character references;
// anything else after '&' is an error, as is a raw '<'.
bool Decode(const std::string& raw, std::string& out, std::string& error) {
  out.clear();
  for (size_t i = 0; i < raw.size(); ++i) {
    if (raw[i] == '<') return error = "raw < in " + raw, false;
    if (raw[i] != '&') {
      out += raw[i];
      continue;
    }
    const size_t semi = raw.find(';', i);
    if (semi == std::string::npos) return error = "bare & in " + raw, false;
    const std::string ent = raw.substr(i + 1, semi - i - 1);
    static const std::map<std::string, std::string> kNamed = {
        {"amp", "&"}, {"lt", "<"}, {"gt", ">"}, {"quot", "\""}, {"apos", "'"}};
    if (kNamed.count(ent))
      out += kNamed.at(ent);
    else if (ent.size() > 1 && ent[0] == '#' &&
             ent.find_first_not_of("0123456789", 1) == std::string::npos &&
             std::stoi(ent.substr(1)) < 128)
      out += static_cast<char>(std::stoi(ent.substr(1)));
    else
      return error = "unknown entity &" + ent + ";", false;
    i = semi;
  }
  return true;
}

Doc Parse(const std::string& s) {
  Doc doc;
  std::vector<size_t> open;  // indexes into elements
  int roots = 0;
  size_t i = 0;
  auto fail = [&](const std::string& why) {
    doc.error = why + " at byte " + std::to_string(i);
    return doc;
  };
  while (i < s.size()) {
    if (s[i] != '<') {
      const size_t next = s.find('<', i);
      const std::string raw = s.substr(i, next - i);
      std::string text;
      if (!Decode(raw, text, doc.error)) return doc;
      if (open.empty() && text.find_first_not_of(" \n\t\r") != std::string::npos)
        return fail("text outside the root");
      if (!open.empty()) doc.elements[open.back()].text += text;
      i = next == std::string::npos ? s.size() : next;
      continue;
    }
    if (s.compare(i, 2, "</") == 0) {
      size_t j = i + 2;
      while (j < s.size() && NameChar(s[j])) ++j;
      const std::string name = s.substr(i + 2, j - i - 2);
      if (j >= s.size() || s[j] != '>') return fail("bad end tag");
      if (open.empty() || doc.elements[open.back()].name != name)
        return fail("unbalanced </" + name + ">");
      open.pop_back();
      i = j + 1;
      continue;
    }
    if (i + 1 < s.size() && (s[i + 1] == '!' || s[i + 1] == '?'))
      return fail("comment, DOCTYPE, CDATA or processing instruction");
    Element e;
    size_t j = i + 1;
    while (j < s.size() && NameChar(s[j])) ++j;
    e.name = s.substr(i + 1, j - i - 1);
    if (e.name.empty()) return fail("empty element name");
    bool self_closing = false;
    for (;;) {
      const size_t ws = j;
      while (j < s.size() && (s[j] == ' ' || s[j] == '\n')) ++j;
      if (j >= s.size()) return fail("unterminated tag");
      if (s[j] == '>') break;
      if (s.compare(j, 2, "/>") == 0) {
        self_closing = true;
        ++j;
        break;
      }
      if (ws == j) return fail("no space before an attribute");
      const size_t a = j;
      while (j < s.size() && NameChar(s[j])) ++j;
      const std::string attr = s.substr(a, j - a);
      if (attr.empty() || j + 1 >= s.size() || s[j] != '=' || s[j + 1] != '"')
        return fail("attribute without a quoted value");
      const size_t end = s.find('"', j + 2);
      if (end == std::string::npos) return fail("unterminated attribute value");
      std::string value;
      if (!Decode(s.substr(j + 2, end - j - 2), value, doc.error)) return doc;
      if (!e.attrs.emplace(attr, value).second) return fail("duplicate attribute " + attr);
      j = end + 1;
    }
    if (open.empty() && ++roots > 1) return fail("more than one root");
    e.depth = static_cast<int>(open.size());
    doc.elements.push_back(e);
    if (!self_closing) open.push_back(doc.elements.size() - 1);
    i = j + 1;
  }
  if (!open.empty()) return fail("unclosed <" + doc.elements[open.back()].name + ">");
  if (roots != 1) return fail("no root");
  return doc;
}

bool IsNumber(const std::string& v) {
  if (v.empty() || v.find_first_not_of("-0123456789.") != std::string::npos) return false;
  char* end = nullptr;
  const double d = std::strtod(v.c_str(), &end);
  return *end == '\0' && std::isfinite(d);
}

// Well-formed, standalone, accessible and inert under a strict CSP; every
// coordinate a finite number. Returns the parsed document for further checks.
Doc CheckSvg(const std::string& svg, const std::string& title) {
  Doc doc = Parse(svg);
  EXPECT_EQ(doc.error, "") << svg;
  if (!doc.error.empty()) return doc;
  const Element& root = doc.elements[0];
  EXPECT_EQ(root.name, "svg");
  EXPECT_EQ(root.attrs.at("xmlns"), "http://www.w3.org/2000/svg");
  EXPECT_EQ(root.attrs.at("role"), "img");
  EXPECT_TRUE(root.attrs.count("viewBox"));
  EXPECT_GE(doc.elements.size(), 3u);
  EXPECT_EQ(doc.elements[1].name, "title");
  EXPECT_EQ(doc.elements[1].text, title);
  EXPECT_EQ(doc.elements[2].name, "desc");
  EXPECT_FALSE(doc.elements[2].text.empty());

  static const std::vector<std::string> kAllowed = {"svg",      "title",  "desc", "rect", "line",
                                                    "polyline", "circle", "path", "text"};
  static const std::vector<std::string> kNumeric = {
      "x",  "y",  "width", "height", "cx",        "cy",           "r",
      "x1", "y1", "x2",    "y2",     "font-size", "stroke-width", "dx"};
  for (const auto& e : doc.elements) {
    EXPECT_NE(std::find(kAllowed.begin(), kAllowed.end(), e.name), kAllowed.end()) << e.name;
    for (const auto& [k, v] : e.attrs) {
      EXPECT_NE(k, "style");
      EXPECT_NE(k, "id");
      EXPECT_FALSE(k.starts_with("on")) << k;
      EXPECT_FALSE(k.find("href") != std::string::npos) << k;
      EXPECT_EQ(v.find("url("), std::string::npos) << k << "=" << v;
      if (std::find(kNumeric.begin(), kNumeric.end(), k) != kNumeric.end()) {
        EXPECT_TRUE(IsNumber(v)) << e.name << " " << k << "=" << v;
      }
      if (k == "points" || k == "d" || k == "viewBox") {
        EXPECT_EQ(v.find_first_not_of("0123456789.,- MLAZ"), std::string::npos) << k << "=" << v;
      }
    }
  }
  return doc;
}

double Attr(const Element* e, const char* name) { return std::stod(e->attrs.at(name)); }

TEST(SvgChartTest, TheCheckerRejectsBrokenXml) {
  for (const char* bad :
       {"<svg><g></svg>", "<svg a=1/>", "<svg>&</svg>", "<svg>a < b</svg>", "<svg/><svg/>",
        "<svg a=\"1\" a=\"2\"/>", "<svg><!-- x --></svg>", "<svg>&nbsp;</svg>", "<svg>"})
    EXPECT_NE(Parse(bad).error, "") << bad;
  EXPECT_EQ(Parse("<svg a=\"&lt;&amp;\"><t>x &gt; y</t></svg>").error, "");
}

// --- Building blocks. ---

struct StringCase {
  std::string in;
  std::string out;
};

TEST(SvgChartTest, EscapesTextAndRepairsWhatXmlCannotHold) {
  const StringCase cases[] = {
      {"plain", "plain"},
      {"<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"},
      {"R&D \"core\" 'team'", "R&amp;D &quot;core&quot; &#39;team&#39;"},
      {"\"><svg onload=alert(1)>", "&quot;&gt;&lt;svg onload=alert(1)&gt;"},
      {"tab\tline\ncr\r", "tab\tline\ncr\r"},
      {std::string("nul\0bell\x07", 9), "nul bell "},
      {"für 情報 🔒", "für 情報 🔒"},
      {"cut \xC3", "cut \xEF\xBF\xBD"},                          // truncated sequence
      {"\xC0\xAF", "\xEF\xBF\xBD\xEF\xBF\xBD"},                  // overlong '/'
      {"\xED\xA0\x80", "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD"},  // a surrogate
      {"\xF4\x90\x80\x80", "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD"},  // > U+10FFFF
      {"\xEF\xBF\xBE|\xEF\xBF\xBF", " | "},                                      // U+FFFE, U+FFFF
  };
  for (const auto& c : cases) EXPECT_EQ(SvgEscape(c.in), c.out) << c.in;
}

TEST(SvgChartTest, TruncatesByCharactersWithAnEllipsis) {
  const struct {
    std::string in;
    size_t max;
    std::string out;
  } cases[] = {
      {"abc", 5, "abc"}, {"abc", 3, "abc"}, {"abcdef", 3, "ab…"},
      {"abcd", 1, "…"},  {"abc", 0, ""},    {"", 3, ""},
      {"äöüß", 2, "ä…"}, {"🔒🔒🔒", 3, "🔒🔒🔒"}, {"🔒🔒🔒🔒", 3, "🔒🔒…"},
  };
  for (const auto& c : cases) EXPECT_EQ(SvgTruncate(c.in, c.max), c.out) << c.in << " " << c.max;
}

TEST(SvgChartTest, FormatsNumbersTheSameWayEverywhere) {
  const struct {
    double v;
    int decimals;
    std::string out;
  } cases[] = {
      {0, 2, "0"},          {1.5, 2, "1.5"},   {2, 2, "2"},     {-3.25, 2, "-3.25"},
      {1.0 / 3, 2, "0.33"}, {-0.0001, 2, "0"}, {12.6, 0, "13"}, {1e15, 2, "1000000000000000"},
      {0.3, 6, "0.3"},      {kNaN, 2, "0"},    {kInf, 2, "0"},  {-kInf, 2, "0"},
  };
  // A global locale with a decimal comma must not leak into the output.
  struct Comma : std::numpunct<char> {
    char do_decimal_point() const override { return ','; }
  };
  const std::locale previous = std::locale::global(std::locale(std::locale::classic(), new Comma));
  for (const auto& c : cases) EXPECT_EQ(SvgNumber(c.v, c.decimals), c.out) << c.v;
  std::locale::global(previous);
}

TEST(SvgChartTest, TicksAreRound) {
  const struct {
    double lo, hi;
    bool extend;
    std::vector<double> ticks;
  } cases[] = {
      {0, 100, false, {0, 20, 40, 60, 80, 100}},
      {0, 7, false, {0, 2, 4, 6}},
      {0, 1, true, {0, 0.2, 0.4, 0.6, 0.8, 1}},
      {0, 4, true, {0, 1, 2, 3, 4}},
      {-3, 5, true, {-4, -2, 0, 2, 4, 6}},
      {0, 12, true, {0, 2.5, 5, 7.5, 10, 12.5}},
      {5, 5, true, {5}},
      {kNaN, 1, true, {0}},
  };
  for (const auto& c : cases) {
    const auto got = SvgTicks(c.lo, c.hi, 5, c.extend);
    ASSERT_EQ(got.size(), c.ticks.size()) << c.lo << ".." << c.hi;
    for (size_t i = 0; i < got.size(); ++i) EXPECT_NEAR(got[i], c.ticks[i], 1e-9);
  }
}

// --- Every chart, every awkward input: valid, inert SVG. ---

const std::string kHostile = "<script>alert('x')</script> & \"onload=\"";

struct ChartCase {
  std::string name;
  std::function<std::string()> draw;
  std::string title;
};

std::vector<ChartCase> Cases() {
  const std::string long_label(200, 'L');
  return {
      {"line",
       [] {
         return LineChartSvg({.title = "t", .x_labels = {"a", "b"}, .series = {{"s", {1, 2}}}});
       },
       "t"},
      {"line empty", [] { return LineChartSvg({.title = "t"}); }, "t"},
      {"line labels only", [] { return LineChartSvg({.title = "t", .x_labels = {"a"}}); }, "t"},
      {"line single point",
       [] {
         return LineChartSvg({.title = "t", .x_labels = {"a"}, .series = {{"s", {3}}}});
       },
       "t"},
      {"line all zero",
       [] {
         return LineChartSvg({.title = "t", .x_labels = {"a", "b"}, .series = {{"s", {0, 0}}}});
       },
       "t"},
      {"line negative",
       [] {
         return LineChartSvg(
             {.title = "t", .x_labels = {"a", "b", "c"}, .series = {{"s", {-5, 3, -0.5}}}});
       },
       "t"},
      {"line non-finite",
       [] {
         return LineChartSvg(
             {.title = "t", .x_labels = {"a", "b", "c"}, .series = {{"s", {kNaN, kInf, -kInf}}}});
       },
       "t"},
      {"line huge",
       [] {
         return LineChartSvg(
             {.title = "t", .x_labels = {"a", "b"}, .series = {{"s", {1e300, -1e300}}}});
       },
       "t"},
      {"line bad fixed range",
       [] {
         return LineChartSvg({.title = "t",
                              .x_labels = {"a"},
                              .series = {{"s", {1}}},
                              .y_min = kNaN,
                              .y_max = kInf});
       },
       "t"},
      {"line hostile",
       [=] {
         return LineChartSvg({.title = kHostile,
                              .x_labels = {kHostile, long_label},
                              .series = {{kHostile, {1, 2}}, {long_label, {2, 1}}},
                              .y_label = kHostile});
       },
       kHostile},
      {"line many",
       [] {
         LineChart c{.title = "t"};
         c.series.resize(12);
         for (int i = 0; i < 200; ++i) c.x_labels.push_back("2026-01-" + std::to_string(i));
         for (auto& s : c.series) s.y.assign(200, 1);
         return LineChartSvg(c);
       },
       "t"},
      {"bar",
       [] {
         return BarChartSvg({.title = "t", .bars = {{"a", 1}, {"b", 2}}});
       },
       "t"},
      {"bar empty", [] { return BarChartSvg({.title = "t"}); }, "t"},
      {"bar all zero",
       [] {
         return BarChartSvg({.title = "t", .bars = {{"a", 0}}});
       },
       "t"},
      {"bar negative and missing",
       [] {
         return BarChartSvg({.title = "t", .bars = {{"a", -2}, {"b", kNaN}, {"c", -kInf}}});
       },
       "t"},
      {"bar hostile",
       [=] {
         return BarChartSvg(
             {.title = kHostile, .bars = {{kHostile, 1}, {long_label, 2}}, .y_label = kHostile});
       },
       kHostile},
      {"donut",
       [] {
         return DonutSvg({.title = "t", .slices = {{"a", 1}, {"b", 2}}});
       },
       "t"},
      {"donut empty", [] { return DonutSvg({.title = "t"}); }, "t"},
      {"donut all zero",
       [] {
         return DonutSvg({.title = "t", .slices = {{"a", 0}, {"b", 0}}});
       },
       "t"},
      {"donut one slice",
       [] {
         return DonutSvg({.title = "t", .slices = {{"a", 7}}});
       },
       "t"},
      {"donut almost all",
       [] {
         return DonutSvg({.title = "t", .slices = {{"a", 1e15}, {"b", 1}}});
       },
       "t"},
      {"donut negative and missing",
       [] {
         return DonutSvg({.title = "t", .slices = {{"a", -1}, {"b", kNaN}, {"c", kInf}}});
       },
       "t"},
      {"donut many",
       [] {
         DonutChart c{.title = "t"};
         for (int i = 0; i < 30; ++i) c.slices.push_back({"s" + std::to_string(i), 1.0 + i});
         return DonutSvg(c);
       },
       "t"},
      {"donut hostile",
       [=] {
         return DonutSvg({.title = kHostile,
                          .slices = {{kHostile, 1}, {long_label, 2}},
                          .total_label = kHostile});
       },
       kHostile},
      {"heat",
       [] {
         return HeatMapSvg(
             {.title = "t", .row_labels = {"a"}, .column_labels = {"b"}, .values = {{1}}});
       },
       "t"},
      {"heat empty", [] { return HeatMapSvg({.title = "t"}); }, "t"},
      {"heat labels without values",
       [] {
         return HeatMapSvg({.title = "t", .row_labels = {"a", "b"}, .column_labels = {"c"}});
       },
       "t"},
      {"heat all zero",
       [] {
         return HeatMapSvg(
             {.title = "t", .row_labels = {"a"}, .column_labels = {"b", "c"}, .values = {{0, 0}}});
       },
       "t"},
      {"heat ragged and missing",
       [] {
         return HeatMapSvg({.title = "t", .values = {{1, kNaN, 3}, {}, {-kInf, -2}}});
       },
       "t"},
      {"heat hostile",
       [=] {
         return HeatMapSvg({.title = kHostile,
                            .row_labels = {kHostile, long_label},
                            .column_labels = {kHostile, long_label},
                            .values = {{1, 2}, {3, 4}},
                            .row_title = kHostile,
                            .column_title = long_label});
       },
       kHostile},
      {"heat large",
       [] {
         HeatMap c{.title = "t"};
         c.values.assign(60, std::vector<double>(80, 2));
         return HeatMapSvg(c);
       },
       "t"},
  };
}

TEST(SvgChartTest, EveryChartIsValidInertSvg) {
  for (const auto& c : Cases()) {
    SCOPED_TRACE(c.name);
    const std::string svg = c.draw();
    const Doc doc = CheckSvg(svg, c.title);
    EXPECT_EQ(svg.find("<script"), std::string::npos);
    EXPECT_EQ(svg.find("nan"), std::string::npos);
    EXPECT_EQ(svg.find("inf"), std::string::npos);
    EXPECT_EQ(svg, c.draw()) << "not deterministic";
  }
}

TEST(SvgChartTest, HostileLabelsRenderAsTheirText) {
  const std::string svg = BarChartSvg({.title = kHostile, .bars = {{"<b>&amp;</b>", 1}}});
  const Doc doc = CheckSvg(svg, kHostile);
  EXPECT_TRUE(doc.HasText("<b>&amp;</b>"));
  EXPECT_NE(svg.find("&lt;b&gt;&amp;amp;&lt;/b&gt;"), std::string::npos);
}

TEST(SvgChartTest, LongLabelsAreCutWithAnEllipsis) {
  const std::string long_label = "Information security incident management and improvement";
  const Doc doc =
      CheckSvg(BarChartSvg({.title = long_label + long_label, .bars = {{long_label, 1}}}),
               long_label + long_label);
  int cut = 0;
  for (const auto& t : doc.Texts()) {
    if (t.ends_with("…")) ++cut;
    EXPECT_LE(t.size(), 100u) << t;
  }
  EXPECT_TRUE(doc.HasText("Information sec…"));
  EXPECT_EQ(cut, 2);  // the visible title and the category
}

// --- What is drawn. ---

TEST(SvgChartTest, LinePointsSitWhereTheirValuesSay) {
  // The plot spans x 64..616 and y 56..280; two slots of 276 px.
  const Doc doc = CheckSvg(LineChartSvg({.title = "Readiness",
                                         .x_labels = {"2026-01-15", "2026-06-30"},
                                         .series = {{"Readiness", {50, 150}}},
                                         .y_label = "%",
                                         .y_min = 0,
                                         .y_max = 100}),
                           "Readiness");
  const auto points = doc.All("circle", "point");
  ASSERT_EQ(points.size(), 2u);
  EXPECT_EQ(Attr(points[0], "cx"), 202);
  EXPECT_EQ(Attr(points[0], "cy"), 168);
  EXPECT_EQ(Attr(points[1], "cx"), 478);
  EXPECT_EQ(Attr(points[1], "cy"), 56);  // 150 is drawn at the top of 0-100
  EXPECT_EQ(doc.All("polyline").size(), 1u);
  for (const char* tick : {"0", "20", "40", "60", "80", "100", "50", "150", "2026-01-15", "%"})
    EXPECT_TRUE(doc.HasText(tick)) << tick;
  EXPECT_FALSE(doc.HasText("No data"));
}

TEST(SvgChartTest, ASinglePointIsCentred) {
  const Doc doc =
      CheckSvg(LineChartSvg({.title = "t", .x_labels = {"x"}, .series = {{"s", {-2}}}}), "t");
  const auto points = doc.All("circle", "point");
  ASSERT_EQ(points.size(), 1u);
  EXPECT_EQ(Attr(points[0], "cx"), 340);
  EXPECT_EQ(Attr(points[0], "cy"), 280);  // the range is -2..0: the bottom of the plot
}

struct CountCase {
  std::string name;
  std::function<std::string()> draw;
  std::string element, cls;
  size_t count;
  bool no_data;
};

TEST(SvgChartTest, DrawsOneMarkPerPresentValue) {
  const CountCase cases[] = {
      {"two series, one missing value",
       [] {
         return LineChartSvg({.title = "t",
                              .x_labels = {"a", "b", "c", "d", "e"},
                              .series = {{"one", {1, kNaN, 3, 4, 5}}, {"two", {1, 2, 3, 4, 5}}}});
       },
       "circle", "point", 9, false},
      {"values past the labels are ignored",
       [] {
         return LineChartSvg({.title = "t", .x_labels = {"a"}, .series = {{"s", {1, 2, 3}}}});
       },
       "circle", "point", 1, false},
      {"line with no series",
       [] {
         return LineChartSvg({.title = "t", .x_labels = {"a", "b"}});
       },
       "circle", "point", 0, true},
      {"line all missing",
       [] {
         return LineChartSvg({.title = "t", .x_labels = {"a"}, .series = {{"s", {kNaN}}}});
       },
       "circle", "point", 0, true},
      {"line all zero",
       [] {
         return LineChartSvg({.title = "t", .x_labels = {"a", "b"}, .series = {{"s", {0, 0}}}});
       },
       "circle", "point", 2, false},
      {"bars, one missing",
       [] {
         return BarChartSvg({.title = "t", .bars = {{"a", 3}, {"b", -2}, {"c", 7.5}, {"d", kNaN}}});
       },
       "rect", "bar", 3, false},
      {"bars all zero",
       [] {
         return BarChartSvg({.title = "t", .bars = {{"a", 0}, {"b", 0}}});
       },
       "rect", "bar", 2, false},
      {"no bars", [] { return BarChartSvg({.title = "t"}); }, "rect", "bar", 0, true},
      {"slices: zero, negative and missing are not drawn",
       [] {
         return DonutSvg(
             {.title = "t",
              .slices = {{"a", 12}, {"b", 3}, {"c", 0}, {"d", 1}, {"e", -1}, {"f", kNaN}}});
       },
       "path", "slice", 3, false},
      {"slices all zero",
       [] {
         return DonutSvg({.title = "t", .slices = {{"a", 0}}});
       },
       "path", "slice", 0, false},
      {"no slices", [] { return DonutSvg({.title = "t"}); }, "path", "slice", 0, true},
      {"5x5 cells",
       [] {
         HeatMap h{.title = "t",
                   .row_labels = {"5", "4", "3", "2", "1"},
                   .column_labels = {"1", "2", "3", "4", "5"}};
         h.values.assign(5, {0, 1, 2, 3, 4});
         return HeatMapSvg(h);
       },
       "rect", "cell", 25, false},
      {"cells beyond the labels",
       [] {
         return HeatMapSvg({.title = "t", .row_labels = {"a"}, .values = {{1, 2}, {3}}});
       },
       "rect", "cell", 4, false},
      {"no cells", [] { return HeatMapSvg({.title = "t", .row_labels = {"a"}}); }, "rect", "cell",
       0, true},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    const Doc doc = CheckSvg(c.draw(), "t");
    EXPECT_EQ(doc.All(c.element, c.cls).size(), c.count);
    EXPECT_EQ(doc.HasText("No data"), c.no_data);
  }
}

TEST(SvgChartTest, AMissingValueBreaksTheLine) {
  const Doc doc = CheckSvg(LineChartSvg({.title = "t",
                                         .x_labels = {"a", "b", "c", "d", "e"},
                                         .series = {{"s", {1, 2, kNaN, 4, 5}}}}),
                           "t");
  const auto lines = doc.All("polyline");
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(
      std::count(lines[0]->attrs.at("points").begin(), lines[0]->attrs.at("points").end(), ','), 2);
  EXPECT_EQ(doc.All("circle", "point").size(), 4u);
}

TEST(SvgChartTest, BarsGrowFromZero) {
  // Auto range 0..4 (ticks 0, 1, 2, 3, 4) over y 56..280; one slot of 552 px.
  const Doc doc = CheckSvg(BarChartSvg({.title = "t", .bars = {{"a", 4}}}), "t");
  const auto bars = doc.All("rect", "bar");
  ASSERT_EQ(bars.size(), 1u);
  EXPECT_EQ(Attr(bars[0], "x"), 308);
  EXPECT_EQ(Attr(bars[0], "width"), 64);
  EXPECT_EQ(Attr(bars[0], "y"), 56);
  EXPECT_EQ(Attr(bars[0], "height"), 224);

  // -2 in -2..8: the bar hangs from the zero line at 280 - 224 * 2/10.
  const Doc neg = CheckSvg(BarChartSvg({.title = "t", .bars = {{"a", 8}, {"b", -2}}}), "t");
  const auto nb = neg.All("rect", "bar");
  ASSERT_EQ(nb.size(), 2u);
  EXPECT_NEAR(Attr(nb[1], "y"), 235.2, 1e-9);
  EXPECT_NEAR(Attr(nb[1], "height"), 44.8, 1e-9);
  EXPECT_TRUE(neg.HasText("-2"));
}

TEST(SvgChartTest, DonutShowsItsTotalAndShares) {
  const Doc doc =
      CheckSvg(DonutSvg({.title = "t",
                         .slices = {{"Mitigate", 12}, {"Accept", 3}, {"Transfer", 0}, {"Avoid", 1}},
                         .total_label = "risks"}),
               "t");
  EXPECT_TRUE(doc.HasText("16"));
  EXPECT_TRUE(doc.HasText("risks"));
  EXPECT_TRUE(doc.HasText("Mitigate  12 (75%)"));
  EXPECT_TRUE(doc.HasText("Transfer  0 (0%)"));
  EXPECT_TRUE(doc.HasText("Avoid  1 (6.3%)") || doc.HasText("Avoid  1 (6.2%)"));
  // The first slice starts at 12 o'clock: (150, 168 - 100).
  const auto slices = doc.All("path", "slice");
  ASSERT_EQ(slices.size(), 3u);
  EXPECT_TRUE(slices[0]->attrs.at("d").starts_with("M150,68 A100 100 0 1 1 "))
      << slices[0]->attrs.at("d");

  // One slice is a full ring: two closed circles, filled even-odd.
  const Doc one = CheckSvg(DonutSvg({.title = "t", .slices = {{"All", 5}}}), "t");
  const auto ring = one.All("path", "slice");
  ASSERT_EQ(ring.size(), 1u);
  EXPECT_EQ(std::count(ring[0]->attrs.at("d").begin(), ring[0]->attrs.at("d").end(), 'M'), 2);
  EXPECT_EQ(ring[0]->attrs.at("fill-rule"), "evenodd");

  const Doc zero = CheckSvg(DonutSvg({.title = "t", .slices = {{"a", 0}}}), "t");
  EXPECT_EQ(zero.All("path", "ring").size(), 1u);
  EXPECT_TRUE(zero.HasText("0"));
}

TEST(SvgChartTest, HeatMapShadesCellsByValue) {
  HeatMap h{.title = "Risks",
            .row_labels = {"High", "Low"},
            .column_labels = {"Minor", "Major"},
            .values = {{0, 10}, {5, kNaN}},
            .row_title = "Likelihood",
            .column_title = "Impact"};
  const Doc doc = CheckSvg(HeatMapSvg(h), "Risks");
  const auto cells = doc.All("rect", "cell");
  ASSERT_EQ(cells.size(), 4u);
  EXPECT_EQ(cells[0]->attrs.at("fill"), "#EFF3FF");  // the lowest step
  EXPECT_EQ(cells[1]->attrs.at("fill"), "#08519C");  // the highest
  EXPECT_EQ(cells[2]->attrs.at("fill"), "#6BAED6");  // the middle
  EXPECT_EQ(cells[3]->attrs.at("fill"), "#F2F2F2");  // missing
  EXPECT_EQ(Attr(cells[1], "x") - Attr(cells[0], "x"), Attr(cells[0], "width"));
  EXPECT_GT(Attr(cells[2], "y"), Attr(cells[0], "y"));  // rows top to bottom, as given
  for (const char* t : {"0", "10", "5", "High", "Major", "Likelihood", "Impact"})
    EXPECT_TRUE(doc.HasText(t)) << t;
  // Three values printed (the missing cell has none), plus 0 and 10 in the legend.
  int numbers = 0;
  for (const auto& t : doc.Texts()) numbers += IsNumber(t);
  EXPECT_EQ(numbers, 5);
}

TEST(SvgChartTest, DescriptionsSummarizeOrAreTheCallers) {
  const Doc given = CheckSvg(
      LineChartSvg({.title = "t", .description = "Readiness rose.", .x_labels = {"a"}}), "t");
  EXPECT_EQ(given.elements[2].text, "Readiness rose.");
  const Doc made = CheckSvg(LineChartSvg({.title = "t",
                                          .x_labels = {"a", "b"},
                                          .series = {{"s", {1, 3}}},
                                          .y_min = 0,
                                          .y_max = 100}),
                            "t");
  EXPECT_EQ(
      made.elements[2].text,
      "Line chart of 1 series over 2 points (a to b); y axis from 0 to 100. Values from 1 to 3.");
}

}  // namespace
}  // namespace tandem
