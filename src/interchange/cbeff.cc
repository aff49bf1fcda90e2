// CBEFF XML (ISO/IEC 19785-3 patron format, MOSIP's profile): reading the nested BIRs and
// writing them back in the layout MOSIP's own tools produce.
#include "idreg/interchange/cbeff.h"

#include <array>
#include <string>

#include "interchange/xml_reader.h"

namespace idreg {
namespace {

constexpr const char* kNamespace = "http://standards.iso.org/iso-iec/19785/-3/ed-2/";

// Base64 in XML is often wrapped over lines: whitespace is dropped before decoding.
Result<Bytes> DecodeBase64Text(const std::string& text) {
  std::string compact;
  compact.reserve(text.size());
  for (char c : text) {
    if (c != ' ' && c != '\n' && c != '\r' && c != '\t') compact += c;
  }
  return Base64Decode(compact);
}

std::string Trim(const std::string& s) {
  size_t b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return "";
  size_t e = s.find_last_not_of(" \t\r\n");
  return s.substr(b, e - b + 1);
}

Result<CbeffBir> ReadBir(const xml::Element& e, size_t index) {
  std::string where = "CBEFF BIR " + std::to_string(index) + " (line " + std::to_string(e.line) + ")";
  CbeffBir b;
  const xml::Element* info = e.Child("BDBInfo");
  if (!info) return Status::InvalidArgument(where + ": no BDBInfo");
  b.index = Trim(info->ChildText("Index"));
  if (const xml::Element* f = info->Child("Format")) {
    b.format_organization = Trim(f->ChildText("Organization"));
    b.format_type = Trim(f->ChildText("Type"));
  }
  b.creation_date = Trim(info->ChildText("CreationDate"));
  b.type = Trim(info->ChildText("Type"));
  b.subtype = Trim(info->ChildText("Subtype"));
  b.level = Trim(info->ChildText("Level"));
  b.purpose = Trim(info->ChildText("Purpose"));
  if (const xml::Element* q = info->Child("Quality")) {
    if (const xml::Element* a = q->Child("Algorithm")) {
      b.quality_organization = Trim(a->ChildText("Organization"));
      b.quality_algorithm = Trim(a->ChildText("Type"));
    }
    std::string score = Trim(q->ChildText("Score"));
    if (!score.empty()) {
      int v = 0;
      bool ok = score.size() <= 3;
      for (char c : score) ok = ok && c >= '0' && c <= '9';
      if (ok) v = std::stoi(score);
      if (!ok || v > 100) return Status::InvalidArgument(where + ", BDBInfo/Quality/Score: '" + score + "' is not 0-100");
      b.quality = v;
    }
  }
  if (b.type.empty()) return Status::InvalidArgument(where + ", BDBInfo/Type: missing");
  const xml::Element* bdb = e.Child("BDB");
  if (!bdb) return Status::InvalidArgument(where + ": no BDB");
  Result<Bytes> data = DecodeBase64Text(bdb->text);
  if (!data.ok()) return data.status().WithContext(where + ", BDB");
  b.bdb = std::move(data).value();
  if (const xml::Element* sb = e.Child("SB")) {
    Result<Bytes> s = DecodeBase64Text(sb->text);
    if (!s.ok()) return s.status().WithContext(where + ", SB");
    b.sb = std::move(s).value();
  }
  return b;
}

// MOSIP's finger subtypes, by idreg position name.
constexpr std::array<std::pair<const char*, const char*>, 10> kFingers = {{
    {"right_thumb", "Right Thumb"},
    {"right_index", "Right IndexFinger"},
    {"right_middle", "Right MiddleFinger"},
    {"right_ring", "Right RingFinger"},
    {"right_little", "Right LittleFinger"},
    {"left_thumb", "Left Thumb"},
    {"left_index", "Left IndexFinger"},
    {"left_middle", "Left MiddleFinger"},
    {"left_ring", "Left RingFinger"},
    {"left_little", "Left LittleFinger"},
}};

}  // namespace

Result<CbeffDocument> ParseCbeffXml(std::string_view text) {
  IDREG_ASSIGN_OR_RETURN(xml::Element root, xml::Parse(text));
  if (root.name != "BIR") return Status::InvalidArgument("CBEFF: the root element is <" + root.name + ">, not <BIR>");
  CbeffDocument doc;
  size_t index = 0;
  for (const xml::Element& child : root.children) {
    if (child.name != "BIR") continue;
    IDREG_ASSIGN_OR_RETURN(CbeffBir b, ReadBir(child, ++index));
    doc.birs.push_back(std::move(b));
  }
  // A lone BIR may carry its data itself rather than in children.
  if (doc.birs.empty() && root.Child("BDB")) {
    IDREG_ASSIGN_OR_RETURN(CbeffBir b, ReadBir(root, 1));
    doc.birs.push_back(std::move(b));
  }
  if (doc.birs.empty()) return Status::InvalidArgument("CBEFF: the document holds no BIR with a BDB");
  return doc;
}

std::string WriteCbeffXml(const CbeffDocument& doc) {
  using xml::Escape;
  std::string o = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n";
  o += "<BIR xmlns=\"" + std::string(kNamespace) + "\">\n";
  o += "    <BIRInfo>\n        <Integrity>false</Integrity>\n    </BIRInfo>\n";
  for (const CbeffBir& b : doc.birs) {
    o += "    <BIR>\n";
    o += "        <Version>\n            <Major>1</Major>\n            <Minor>1</Minor>\n        </Version>\n";
    o += "        <CBEFFVersion>\n            <Major>1</Major>\n            <Minor>1</Minor>\n        </CBEFFVersion>\n";
    o += "        <BIRInfo>\n            <Integrity>false</Integrity>\n        </BIRInfo>\n";
    o += "        <BDBInfo>\n";
    if (!b.index.empty()) o += "            <Index>" + Escape(b.index) + "</Index>\n";
    o += "            <Format>\n                <Organization>" + Escape(b.format_organization) +
         "</Organization>\n                <Type>" + Escape(b.format_type) + "</Type>\n            </Format>\n";
    if (!b.creation_date.empty()) o += "            <CreationDate>" + Escape(b.creation_date) + "</CreationDate>\n";
    o += "            <Type>" + Escape(b.type) + "</Type>\n";
    o += "            <Subtype>" + Escape(b.subtype) + "</Subtype>\n";
    if (!b.level.empty()) o += "            <Level>" + Escape(b.level) + "</Level>\n";
    if (!b.purpose.empty()) o += "            <Purpose>" + Escape(b.purpose) + "</Purpose>\n";
    if (b.quality) {
      o += "            <Quality>\n";
      if (!b.quality_organization.empty() || !b.quality_algorithm.empty()) {
        o += "                <Algorithm>\n                    <Organization>" + Escape(b.quality_organization) +
             "</Organization>\n                    <Type>" + Escape(b.quality_algorithm) +
             "</Type>\n                </Algorithm>\n";
      }
      o += "                <Score>" + std::to_string(*b.quality) + "</Score>\n            </Quality>\n";
    }
    o += "        </BDBInfo>\n";
    o += "        <BDB>" + Base64Encode(b.bdb) + "</BDB>\n";
    if (!b.sb.empty()) o += "        <SB>" + Base64Encode(b.sb) + "</SB>\n";
    o += "    </BIR>\n";
  }
  o += "</BIR>\n";
  return o;
}

std::string CbeffFingerSubtype(std::string_view position) {
  for (const auto& [name, subtype] : kFingers) {
    if (position == name) return subtype;
  }
  return "";
}

std::string CbeffFingerPosition(std::string_view subtype) {
  for (const auto& [name, sub] : kFingers) {
    if (subtype == sub) return name;
  }
  return "";
}

}  // namespace idreg
