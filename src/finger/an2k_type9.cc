#include "idreg/finger/an2k_type9.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numbers>
#include <string>

namespace idreg::finger {
namespace {

constexpr double kUnitsPerInch = 2540;  // EFS units of 10 micrometres
constexpr int kMaxEfsMinutiae = 999;    // 9.331 holds up to 999 subfields

// A non-negative integer item; false when empty or not all digits.
bool Digits(const std::string& s, long& out) {
  if (s.empty() || s.size() > 9 || s.find_first_not_of("0123456789") != std::string::npos) return false;
  out = std::stol(s);
  return true;
}

Status Bad(const std::string& what) { return Status::InvalidArgument("Type-9 " + what); }

}  // namespace

Result<Type9Minutiae> Type9ToTemplate(const An2kRecord& record) {
  if (record.type != 9) return Bad("conversion: record type " + std::to_string(record.type) + " is not 9");
  const An2kField* minutiae = record.Find(331);
  if (!minutiae) {
    if (record.Find(12) || record.Find(137)) {
      return Bad("minutiae in the legacy standard format (9.012) or the INCITS 378 block (9.137) are not read; "
                 "only EFS minutiae (9.331) are");
    }
    return Bad("record has no EFS minutiae (field 9.331)");
  }
  const An2kField* roi = record.Find(300);
  if (!roi) return Bad("field 9.300 (EFS region of interest) is missing; 9.331 coordinates are relative to it");
  std::vector<std::vector<std::string>> roi_items = roi->Subfields();
  long w = 0, h = 0, off_x = 0, off_y = 0;
  if (roi_items.empty() || roi_items[0].size() < 2 || !Digits(roi_items[0][0], w) || !Digits(roi_items[0][1], h) ||
      w == 0 || h == 0) {
    return Bad("field 9.300: the region of interest needs a width and height in 10 micrometre units");
  }
  if (roi_items[0].size() >= 3 && !roi_items[0][2].empty() && !Digits(roi_items[0][2], off_x)) {
    return Bad("field 9.300: the horizontal offset '" + roi_items[0][2] + "' is not a number");
  }
  if (roi_items[0].size() >= 4 && !roi_items[0][3].empty() && !Digits(roi_items[0][3], off_y)) {
    return Bad("field 9.300: the vertical offset '" + roi_items[0][3] + "' is not a number");
  }
  const double scale = 500.0 / kUnitsPerInch;
  Type9Minutiae out;
  out.tmpl.ppi = 500;
  out.tmpl.width = static_cast<int>(std::lround((off_x + w) * scale));
  out.tmpl.height = static_cast<int>(std::lround((off_y + h) * scale));
  if (const An2kField* fpp = record.Find(302)) {
    std::vector<std::vector<std::string>> items = fpp->Subfields();
    long fgp = 0;
    if (!items.empty() && !items[0].empty() && Digits(items[0][0], fgp) && fgp <= 255) out.position = static_cast<int>(fgp);
  }
  std::vector<std::vector<std::string>> subfields = minutiae->Subfields();
  for (size_t i = 0; i < subfields.size(); ++i) {
    const std::vector<std::string>& m = subfields[i];
    std::string where = "field 9.331 minutia " + std::to_string(i + 1);
    long x = 0, y = 0, theta = 0;
    if (m.size() < 4) return Bad(where + ": needs x, y, theta and type (" + std::to_string(m.size()) + " items)");
    if (!Digits(m[0], x) || !Digits(m[1], y)) return Bad(where + ": x '" + m[0] + "' or y '" + m[1] + "' is not a number");
    if (x > w || y > h) {
      return Bad(where + ": (" + m[0] + ", " + m[1] + ") lies outside the region of interest (" + std::to_string(w) +
                 " x " + std::to_string(h) + ")");
    }
    if (!Digits(m[2], theta) || theta > 360) return Bad(where + ": theta '" + m[2] + "' is not 0-360 degrees");
    Minutia mm;
    if (m[3] == "E") {
      mm.type = MinutiaType::kEnding;
    } else if (m[3] == "B") {
      mm.type = MinutiaType::kBifurcation;
    } else if (m[3] == "X") {
      mm.type = MinutiaType::kOther;
    } else {
      return Bad(where + ": type '" + m[3] + "' is not E, B or X");
    }
    mm.x = static_cast<int>(std::lround((off_x + x) * scale));
    mm.y = static_cast<int>(std::lround((off_y + y) * scale));
    double dir = std::fmod((theta + 180) % 360 * std::numbers::pi / 180.0, 2 * std::numbers::pi);
    mm.direction = static_cast<float>(dir);
    out.tmpl.minutiae.push_back(mm);
  }
  return out;
}

Result<An2kRecord> TemplateToType9(const FingerTemplate& tmpl, int idc, int position, int impression) {
  if (tmpl.ppi <= 0) return Bad("conversion: the template has no resolution");
  if (tmpl.minutiae.size() > kMaxEfsMinutiae) {
    return Bad("conversion: " + std::to_string(tmpl.minutiae.size()) + " minutiae, EFS holds at most 999");
  }
  if (idc < 0 || idc > 99 || position < 0 || position > 255 || impression < 0 || impression > 99) {
    return Bad("conversion: IDC, position or impression type out of range");
  }
  const double scale = kUnitsPerInch / tmpl.ppi;
  auto units = [&](double px) { return static_cast<long>(std::lround(px * scale)); };
  long w = std::max(1L, units(tmpl.width)), h = std::max(1L, units(tmpl.height));
  std::string list;
  for (const Minutia& m : tmpl.minutiae) {
    if (!list.empty()) list.push_back(kAn2kRs);
    long theta = std::lround(m.direction * 180.0 / std::numbers::pi) + 180;
    theta = ((theta % 360) + 360) % 360;
    const char* type = m.type == MinutiaType::kEnding ? "E" : m.type == MinutiaType::kBifurcation ? "B" : "X";
    for (const std::string& item : {std::to_string(std::clamp(units(m.x), 0L, w)), std::to_string(std::clamp(units(m.y), 0L, h)),
                                    std::to_string(theta)}) {
      list += item;
      list.push_back(kAn2kUs);
    }
    list += type;
  }
  An2kRecord r;
  r.type = 9;
  char idc_text[8];
  std::snprintf(idc_text, sizeof idc_text, "%02d", idc);
  r.fields.push_back(An2kField::Make(9, 1, "0"));  // LEN: the writer computes it
  r.fields.push_back(An2kField::Make(9, 2, idc_text));
  r.fields.push_back(An2kField::Make(9, 3, std::to_string(impression)));
  r.fields.push_back(An2kField::Make(9, 4, "U"));
  r.fields.push_back(An2kField::Make(9, 300, std::to_string(w) + kAn2kUs + std::to_string(h)));
  if (position != 0) r.fields.push_back(An2kField::Make(9, 302, std::to_string(position)));
  if (!list.empty()) r.fields.push_back(An2kField::Make(9, 331, list));
  return r;
}

}  // namespace idreg::finger
