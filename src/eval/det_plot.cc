// DET curves as SVG with log axes from 0.01% to 100%. Rates of 0 sit on the lower edge.
#include "idreg/eval/det_plot.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace idreg::eval {
namespace {

constexpr double kLeft = 70, kTop = 40, kSize = 440;
constexpr double kMinRate = 1e-4;  // 0.01%
const char* const kColours[] = {"#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b"};

double Scale(double rate) {  // 0 at kMinRate, 1 at 100%
  const double r = std::clamp(rate, kMinRate, 1.0);
  return (std::log10(r) - std::log10(kMinRate)) / -std::log10(kMinRate);
}
double X(double fmr) { return kLeft + Scale(fmr) * kSize; }
double Y(double fnmr) { return kTop + (1 - Scale(fnmr)) * kSize; }

std::string Num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", v);
  return buf;
}

std::string Escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '<')
      out += "&lt;";
    else if (c == '>')
      out += "&gt;";
    else if (c == '&')
      out += "&amp;";
    else
      out += c;
  }
  return out;
}

}  // namespace

std::string RenderDetSvg(const std::vector<DetSeries>& series, const std::string& title) {
  std::string svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + Num(kLeft + kSize + 200) +
                    "\" height=\"" + Num(kTop + kSize + 60) +
                    "\" font-family=\"sans-serif\" font-size=\"12\">\n";
  svg += "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n";
  svg += "<text x=\"" + Num(kLeft) + "\" y=\"24\" font-size=\"15\">" + Escape(title) + "</text>\n";
  const char* labels[] = {"0.01%", "0.1%", "1%", "10%", "100%"};
  for (int d = 0; d <= 4; ++d) {
    const double rate = std::pow(10.0, d - 4);
    svg += "<line x1=\"" + Num(X(rate)) + "\" y1=\"" + Num(kTop) + "\" x2=\"" + Num(X(rate)) + "\" y2=\"" +
           Num(kTop + kSize) + "\" stroke=\"#ddd\"/>\n";
    svg += "<line x1=\"" + Num(kLeft) + "\" y1=\"" + Num(Y(rate)) + "\" x2=\"" + Num(kLeft + kSize) +
           "\" y2=\"" + Num(Y(rate)) + "\" stroke=\"#ddd\"/>\n";
    svg += "<text x=\"" + Num(X(rate)) + "\" y=\"" + Num(kTop + kSize + 18) + "\" text-anchor=\"middle\">" +
           labels[d] + "</text>\n";
    svg += "<text x=\"" + Num(kLeft - 6) + "\" y=\"" + Num(Y(rate) + 4) + "\" text-anchor=\"end\">" +
           labels[d] + "</text>\n";
  }
  svg += "<rect x=\"" + Num(kLeft) + "\" y=\"" + Num(kTop) + "\" width=\"" + Num(kSize) + "\" height=\"" +
         Num(kSize) + "\" fill=\"none\" stroke=\"black\"/>\n";
  svg += "<line x1=\"" + Num(X(kMinRate)) + "\" y1=\"" + Num(Y(kMinRate)) + "\" x2=\"" + Num(X(1)) +
         "\" y2=\"" + Num(Y(1)) + "\" stroke=\"#aaa\" stroke-dasharray=\"4 4\"/>\n";
  svg += "<text x=\"" + Num(kLeft + kSize / 2) + "\" y=\"" + Num(kTop + kSize + 40) +
         "\" text-anchor=\"middle\">FMR (false match rate)</text>\n";
  svg += "<text transform=\"translate(18," + Num(kTop + kSize / 2) +
         ") rotate(-90)\" text-anchor=\"middle\">FNMR (false non-match rate)</text>\n";
  for (size_t s = 0; s < series.size(); ++s) {
    const char* colour = kColours[s % 6];
    std::string path;
    for (const DetPoint& p : series[s].points)
      path += (path.empty() ? "M" : " L") + Num(X(p.fmr)) + "," + Num(Y(p.fnmr));
    svg += "<path d=\"" + path + "\" fill=\"none\" stroke=\"" + colour + "\" stroke-width=\"1.5\"/>\n";
    const double eer = series[s].rates.eer;
    svg +=
        "<circle cx=\"" + Num(X(eer)) + "\" cy=\"" + Num(Y(eer)) + "\" r=\"4\" fill=\"" + colour + "\"/>\n";
    char legend[160];
    std::snprintf(legend, sizeof legend, "%s: EER %.2f%%", series[s].label.c_str(), eer * 100);
    svg += "<text x=\"" + Num(kLeft + kSize + 12) + "\" y=\"" + Num(kTop + 14 + 18 * s) + "\" fill=\"" +
           colour + "\">" + Escape(legend) + "</text>\n";
  }
  return svg + "</svg>\n";
}

}  // namespace idreg::eval
