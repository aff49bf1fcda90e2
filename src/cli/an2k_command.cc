// `idreg an2k dump FILE [--json]`: lists an ANSI/NIST-ITL transaction's records and fields for
// people debugging a transaction. Binary data is summarised (size and first bytes), never printed.
#include <cstdio>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>

#include "cli/cli.h"
#include "idreg/interchange/an2k.h"
#include "nlohmann/json.hpp"

namespace idreg::cli {
namespace {

struct DumpArgs {
  std::string file;
  bool json = false;
};

// Separators shown as the conventional ^ (RS) and _ (US) only in text output; JSON keeps the
// structure as arrays instead.
std::string Printable(const std::string& v, bool binary) {
  if (binary) {
    std::string s = std::to_string(v.size()) + " bytes";
    if (!v.empty()) {
      s += ":";
      for (size_t i = 0; i < v.size() && i < 8; ++i) {
        char hex[4];
        std::snprintf(hex, sizeof hex, " %02x", static_cast<unsigned char>(v[i]));
        s += hex;
      }
      if (v.size() > 8) s += " ...";
    }
    return s;
  }
  std::string out;
  for (char c : v) {
    unsigned char u = static_cast<unsigned char>(c);
    if (c == kAn2kRs) {
      out += " ^ ";
    } else if (c == kAn2kUs) {
      out += "_";
    } else if (u < 0x20 || u == 0x7F) {
      char hex[8];
      std::snprintf(hex, sizeof hex, "\\x%02X", u);
      out += hex;
    } else {
      out += c;
    }
  }
  return out;
}

bool IsBinaryField(const An2kField& f) { return f.number == 999; }

size_t RecordLength(const An2kRecord& r) {
  if (r.binary()) return 4 + r.header.size() + r.data.size();
  std::string len = r.fields.empty() ? "" : r.fields[0].value;
  return static_cast<size_t>(std::strtoull(len.c_str(), nullptr, 10));
}

nlohmann::ordered_json RecordJson(const An2kRecord& r, size_t index) {
  nlohmann::ordered_json j;
  j["index"] = index + 1;
  j["type"] = r.type;
  j["offset"] = r.offset;
  j["length"] = RecordLength(r);
  if (auto idc = r.Idc()) j["idc"] = *idc;
  if (r.binary()) {
    if (auto h = r.ImageHeader(); h.ok()) {
      j["impression"] = h->impression;
      j["finger_positions"] = nlohmann::ordered_json::array();
      for (int p : h->positions) {
        if (p != 255) j["finger_positions"].push_back(p);
      }
      j["isr"] = h->isr;
      j["width"] = h->width;
      j["height"] = h->height;
      j["compression"] = h->compression;
    }
    j["data_bytes"] = r.data.size();
    return j;
  }
  j["fields"] = nlohmann::ordered_json::array();
  for (const An2kField& f : r.fields) {
    nlohmann::ordered_json fj;
    fj["tag"] = f.tag;
    std::string_view name = An2kFieldName(r.type, f.number);
    if (!name.empty()) fj["name"] = name;
    if (IsBinaryField(f)) {
      fj["binary_bytes"] = f.value.size();
    } else {
      fj["subfields"] = f.Subfields();
    }
    j["fields"].push_back(std::move(fj));
  }
  return j;
}

void PrintRecord(const An2kRecord& r, size_t index, std::ostream& out) {
  out << "record " << index + 1 << ": Type-" << r.type << " at offset " << r.offset << ", " << RecordLength(r)
      << " bytes";
  if (auto idc = r.Idc()) out << ", IDC " << *idc;
  out << "\n";
  if (r.binary()) {
    if (auto h = r.ImageHeader(); h.ok()) {
      out << "  IMP " << h->impression << "  FGP";
      for (int p : h->positions) {
        if (p != 255) out << " " << p;
      }
      out << "  ISR " << h->isr << "  " << h->width << "x" << h->height << "  compression " << h->compression << "\n";
    }
    out << "  data: " << Printable(std::string(r.data.begin(), r.data.end()), true) << "\n";
    return;
  }
  for (const An2kField& f : r.fields) {
    std::string_view name = An2kFieldName(r.type, f.number);
    std::string head = "  " + f.tag + (name.empty() ? "" : " " + std::string(name));
    if (head.size() < 16) head.resize(16, ' ');
    out << head << " " << Printable(f.value, IsBinaryField(f)) << "\n";
  }
}

void RunDump(Context& ctx, const DumpArgs& args) {
  std::ifstream f(args.file, std::ios::binary);
  if (!f) {
    ctx.Fail(Status::NotFound("cannot read " + args.file));
    return;
  }
  Bytes bytes((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  Result<An2kTransaction> t = ParseAn2k(bytes);
  if (!t.ok()) {
    ctx.Fail(t.status().WithContext(args.file));
    return;
  }
  constexpr auto kReplace = nlohmann::ordered_json::error_handler_t::replace;
  if (args.json) {
    nlohmann::ordered_json j;
    j["file"] = args.file;
    j["version"] = t->Version();
    j["bytes"] = bytes.size();
    j["records"] = nlohmann::ordered_json::array();
    for (size_t i = 0; i < t->records.size(); ++i) j["records"].push_back(RecordJson(t->records[i], i));
    *ctx.out << j.dump(2, ' ', false, kReplace) << "\n";
    return;
  }
  *ctx.out << args.file << ": ANSI/NIST-ITL version " << t->Version() << ", " << t->records.size() << " records, "
           << bytes.size() << " bytes\n";
  for (size_t i = 0; i < t->records.size(); ++i) PrintRecord(t->records[i], i, *ctx.out);
}

}  // namespace

void AddAn2kCommands(CLI::App& app, Context& ctx) {
  CLI::App* an2k = app.add_subcommand("an2k", "ANSI/NIST-ITL 1-2011 transactions (traditional encoding)");
  an2k->require_subcommand(1);
  CLI::App* dump = an2k->add_subcommand("dump", "List a transaction's records and fields");
  auto args = std::make_shared<DumpArgs>();
  dump->add_option("file", args->file, "The transaction file (.an2, .an2k, .eft)")->required();
  dump->add_flag("--json", args->json, "Print one JSON object");
  dump->callback([&ctx, args] { RunDump(ctx, *args); });
}

}  // namespace idreg::cli
