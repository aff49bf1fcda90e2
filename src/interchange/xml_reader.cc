// The XML subset reader: recursive descent over the text, with a depth limit so that a hostile
// document cannot exhaust the stack.
#include "interchange/xml_reader.h"

#include <cstdint>

namespace idreg::xml {
namespace {

constexpr int kMaxDepth = 64;

bool IsNameChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-' ||
         c == '.' || c == ':' || static_cast<unsigned char>(c) >= 0x80;
}

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

void AppendUtf8(uint32_t cp, std::string& out) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

class Parser {
 public:
  explicit Parser(std::string_view s) : s_(s) {}

  Result<Element> Document() {
    IDREG_RETURN_IF_ERROR(Misc());
    if (!Starts("<")) return Error("expected the root element");
    Element root;
    IDREG_RETURN_IF_ERROR(ParseElement(root, 0));
    IDREG_RETURN_IF_ERROR(Misc());
    if (at_ != s_.size()) return Error("content after the root element");
    return root;
  }

 private:
  // Positions only move forward, so the line count advances from the last one asked for.
  int LineAt(size_t pos) {
    for (; line_pos_ < pos && line_pos_ < s_.size(); ++line_pos_) {
      if (s_[line_pos_] == '\n') {
        ++line_;
        line_start_ = line_pos_ + 1;
      }
    }
    return line_;
  }

  Status Error(const std::string& what) {
    int line = LineAt(at_);
    size_t column = at_ >= line_start_ ? at_ - line_start_ + 1 : 1;
    return Status::InvalidArgument("XML line " + std::to_string(line) + ", column " + std::to_string(column) + ": " +
                                   what);
  }

  bool Starts(std::string_view p) const { return s_.substr(at_, p.size()) == p; }
  void SkipSpace() {
    while (at_ < s_.size() && IsSpace(s_[at_])) ++at_;
  }

  Status SkipPast(std::string_view end, const char* what) {
    size_t e = s_.find(end, at_);
    if (e == std::string_view::npos) return Error(std::string("unterminated ") + what);
    at_ = e + end.size();
    return Status::Ok();
  }

  // Whitespace, comments, processing instructions and the declaration around the root.
  Status Misc() {
    while (true) {
      SkipSpace();
      if (Starts("<?")) {
        IDREG_RETURN_IF_ERROR(SkipPast("?>", "processing instruction"));
      } else if (Starts("<!--")) {
        IDREG_RETURN_IF_ERROR(SkipPast("-->", "comment"));
      } else if (Starts("<!")) {
        return Error("DOCTYPE and other declarations are not accepted");
      } else {
        return Status::Ok();
      }
    }
  }

  Result<std::string> Name() {
    size_t start = at_;
    while (at_ < s_.size() && IsNameChar(s_[at_])) ++at_;
    if (at_ == start) return Error("expected a name");
    return std::string(s_.substr(start, at_ - start));
  }

  static std::string Local(const std::string& name) {
    size_t colon = name.rfind(':');
    return colon == std::string::npos ? name : name.substr(colon + 1);
  }

  // Text up to `stop` with references resolved.
  Status CharData(char stop, std::string& out) {
    while (at_ < s_.size() && s_[at_] != stop && !(stop == '<' && s_[at_] == '<')) {
      if (s_[at_] == '&') {
        size_t semi = s_.find(';', at_);
        if (semi == std::string_view::npos || semi - at_ > 12) return Error("unterminated entity reference");
        std::string_view ref = s_.substr(at_ + 1, semi - at_ - 1);
        if (ref == "lt") {
          out += '<';
        } else if (ref == "gt") {
          out += '>';
        } else if (ref == "amp") {
          out += '&';
        } else if (ref == "quot") {
          out += '"';
        } else if (ref == "apos") {
          out += '\'';
        } else if (ref.size() > 1 && ref[0] == '#') {
          bool hex = ref[1] == 'x';
          uint32_t cp = 0;
          std::string_view digits = ref.substr(hex ? 2 : 1);
          if (digits.empty()) return Error("empty character reference");
          for (char c : digits) {
            int d = (c >= '0' && c <= '9') ? c - '0'
                    : hex && (c >= 'a' && c <= 'f') ? c - 'a' + 10
                    : hex && (c >= 'A' && c <= 'F') ? c - 'A' + 10
                                                    : -1;
            if (d < 0) return Error("bad character reference &" + std::string(ref) + ";");
            cp = cp * (hex ? 16 : 10) + static_cast<uint32_t>(d);
            if (cp > 0x10FFFF) return Error("character reference out of range");
          }
          if (cp == 0 || (cp >= 0xD800 && cp <= 0xDFFF)) return Error("character reference to an invalid character");
          AppendUtf8(cp, out);
        } else {
          return Error("unknown entity &" + std::string(ref) + "; (no DTD entities are accepted)");
        }
        at_ = semi + 1;
      } else {
        out += s_[at_++];
      }
    }
    return Status::Ok();
  }

  Status ParseElement(Element& e, int depth) {
    if (depth > kMaxDepth) return Error("elements nested deeper than " + std::to_string(kMaxDepth));
    e.line = LineAt(at_);
    ++at_;  // '<'
    IDREG_ASSIGN_OR_RETURN(std::string qname, Name());
    e.name = Local(qname);
    while (true) {
      SkipSpace();
      if (at_ >= s_.size()) return Error("unterminated start tag <" + qname + ">");
      if (Starts("/>")) {
        at_ += 2;
        return Status::Ok();
      }
      if (s_[at_] == '>') {
        ++at_;
        break;
      }
      IDREG_ASSIGN_OR_RETURN(std::string attr, Name());
      SkipSpace();
      if (!Starts("=")) return Error("expected '=' after attribute " + attr);
      ++at_;
      SkipSpace();
      if (at_ >= s_.size() || (s_[at_] != '"' && s_[at_] != '\'')) return Error("expected a quoted attribute value");
      char quote = s_[at_++];
      std::string value;
      IDREG_RETURN_IF_ERROR(CharData(quote, value));
      if (at_ >= s_.size()) return Error("unterminated attribute value");
      ++at_;
      e.attributes.emplace_back(std::move(attr), std::move(value));
    }
    // Content.
    while (true) {
      IDREG_RETURN_IF_ERROR(CharData('<', e.text));
      if (at_ >= s_.size()) return Error("element <" + qname + "> is not closed");
      if (Starts("</")) {
        at_ += 2;
        IDREG_ASSIGN_OR_RETURN(std::string end, Name());
        if (end != qname) return Error("</" + end + "> closes <" + qname + ">");
        SkipSpace();
        if (!Starts(">")) return Error("expected '>' after </" + end);
        ++at_;
        return Status::Ok();
      }
      if (Starts("<!--")) {
        IDREG_RETURN_IF_ERROR(SkipPast("-->", "comment"));
      } else if (Starts("<![CDATA[")) {
        size_t start = at_ + 9;
        IDREG_RETURN_IF_ERROR(SkipPast("]]>", "CDATA section"));
        e.text.append(s_.substr(start, at_ - 3 - start));
      } else if (Starts("<?")) {
        IDREG_RETURN_IF_ERROR(SkipPast("?>", "processing instruction"));
      } else if (Starts("<!")) {
        return Error("declarations are not accepted inside elements");
      } else {
        e.children.emplace_back();
        IDREG_RETURN_IF_ERROR(ParseElement(e.children.back(), depth + 1));
      }
    }
  }

  std::string_view s_;
  size_t at_ = 0;
  size_t line_pos_ = 0;
  size_t line_start_ = 0;
  int line_ = 1;
};

}  // namespace

const Element* Element::Child(std::string_view n) const {
  for (const Element& c : children) {
    if (c.name == n) return &c;
  }
  return nullptr;
}

std::string Element::ChildText(std::string_view n) const {
  const Element* c = Child(n);
  return c ? c->text : std::string();
}

Result<Element> Parse(std::string_view text) { return Parser(text).Document(); }

std::string Escape(std::string_view s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

}  // namespace idreg::xml
