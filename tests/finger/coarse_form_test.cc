// The per-template persistent coarse form (gallery.h SerializeCoarse / ParseCoarse): exact round
// trip, a gallery fed parsed forms searches exactly as one that built them, and every malformed
// input refused naming what is wrong.
#include <gtest/gtest.h>

#include "idreg/finger/gallery.h"
#include "idreg/finger/synthetic.h"

namespace idreg::finger {
namespace {

std::string Why(std::span<const uint8_t> bytes) {
  auto p = ParseCoarse(bytes);
  EXPECT_FALSE(p.ok());
  return p.ok() ? "" : p.status().message();
}

TEST(CoarseFormTest, RoundTripsExactly) {
  const SyntheticFingers gen(5);
  size_t cylinders = 0;
  for (int f = 0; f < 40; ++f) {
    const FingerTemplate t = gen.Impression(f, 0);
    const CoarseTemplate all = MakeCoarseTemplate(t);
    // Version 2 keeps the cylinders a gallery keeps: the 16 best placed.
    const CoarseTemplate c = GalleryCoarseTemplate(all);
    EXPECT_EQ(c.size(), std::min<size_t>(all.size(), 16));
    const Bytes b = SerializeCoarse(all, t.minutiae.size());
    EXPECT_EQ(b.size(), 12 + 97 * c.size());
    EXPECT_EQ(SerializeCoarse(c, t.minutiae.size()), b);
    auto back = ParseCoarse(b);
    ASSERT_TRUE(back.ok()) << back.status().ToString();
    EXPECT_EQ(back->minutiae, t.minutiae.size());
    EXPECT_EQ(back->coarse.codes, c.codes);
    EXPECT_EQ(back->coarse.directions, c.directions);
    EXPECT_EQ(SerializeCoarse(back->coarse, back->minutiae), b);
    cylinders += c.size();
  }
  EXPECT_GT(cylinders, 40u * 15);
  EXPECT_LE(cylinders, 40u * 16);
  // No cylinder at all is a valid form too.
  auto empty = ParseCoarse(SerializeCoarse(CoarseTemplate{}, 3));
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ(empty->coarse.size(), 0u);
}

TEST(CoarseFormTest, GalleryFedParsedFormsSearchesAsOneThatBuiltThem) {
  const SyntheticFingers gen(9);
  FingerGallery built, parsed;
  for (int f = 0; f < 60; ++f) {
    const FingerTemplate t = gen.Impression(f, 0);
    built.Add(t, static_cast<uint8_t>(f % 2));
    auto form = ParseCoarse(SerializeCoarse(MakeCoarseTemplate(t), t.minutiae.size()));
    ASSERT_TRUE(form.ok());
    parsed.Add(t, form->coarse, static_cast<uint8_t>(f % 2));
  }
  EXPECT_EQ(SerializeGallery(built), SerializeGallery(parsed));
  FingerGallery::SearchOptions o;
  o.shortlist = 5;
  o.top_k = 5;
  o.threads = 1;
  for (int f = 0; f < 60; f += 7) {
    const auto a = built.Search(gen.Impression(f, 1), o);
    const auto b = parsed.Search(gen.Impression(f, 1), o);
    ASSERT_EQ(a.size(), b.size());
    for (size_t i = 0; i < a.size(); ++i) {
      EXPECT_EQ(a[i].index, b[i].index);
      EXPECT_EQ(a[i].score, b[i].score);
    }
  }
}

TEST(CoarseFormTest, AFormThatCannotBelongToTheTemplateIsRebuilt) {
  const SyntheticFingers gen(3);
  const FingerTemplate t = gen.Impression(1, 0);
  FingerTemplate few = t;
  few.minutiae.resize(3);
  FingerGallery reference, g;
  reference.Add(few);
  // More cylinders than the template has minutiae: ignored, the codes are built.
  g.Add(few, MakeCoarseTemplate(t), 0);
  EXPECT_EQ(SerializeGallery(g), SerializeGallery(reference));
  CoarseTemplate torn = MakeCoarseTemplate(few);
  torn.directions.push_back(0);  // codes and directions disagree
  FingerGallery h;
  h.Add(few, torn, 0);
  EXPECT_EQ(SerializeGallery(h), SerializeGallery(reference));
}

TEST(CoarseFormTest, MalformedFormsAreRefusedNamingTheProblem) {
  const SyntheticFingers gen(4);
  const FingerTemplate t = gen.Impression(2, 0);
  const CoarseTemplate c = MakeCoarseTemplate(t);
  ASSERT_GT(c.size(), 2u);
  const Bytes good = SerializeCoarse(c, t.minutiae.size());
  EXPECT_NE(Why(Bytes(good.begin(), good.begin() + 5)).find("truncated"), std::string::npos);
  Bytes b = good;
  b[0] = 'X';
  EXPECT_NE(Why(b).find("IDFC"), std::string::npos);
  b = good;
  b[4] = kCoarseFormVersion + 1;
  EXPECT_NE(Why(b).find("version"), std::string::npos);
  b = good;
  b[6] = 1;
  EXPECT_NE(Why(b).find("reserved"), std::string::npos);
  b = good;
  b[8] = 0;  // minutiae 256 + ...: over 255
  b[9] = 1;
  EXPECT_NE(Why(b).find("at most 255"), std::string::npos);
  b = good;
  b[8] = 1;  // one minutia, many cylinders
  b[9] = 0;
  EXPECT_NE(Why(b).find("more cylinders"), std::string::npos);
  b = good;
  b[4] = 1;  // version 1 held every cylinder: refused, the caller rebuilds
  EXPECT_NE(Why(b).find("version 1 is not the current one"), std::string::npos);
  b = good;
  b.pop_back();
  EXPECT_NE(Why(b).find("size mismatch"), std::string::npos);
  {
    // More cylinders than a gallery keeps (a version-1 layout relabelled): refused.
    ASSERT_GT(c.size(), 16u);
    Bytes many(good.begin(), good.begin() + 12);
    many[10] = static_cast<uint8_t>(c.size());
    many[11] = 0;
    for (size_t i = 0; i < c.size(); ++i) {
      for (int w = 0; w < CoarseTemplate::kCodeWords; ++w) {
        for (int k = 0; k < 8; ++k) many.push_back(static_cast<uint8_t>(c.codes[i * CoarseTemplate::kCodeWords + w] >> (8 * k)));
      }
    }
    many.insert(many.end(), c.directions.begin(), c.directions.end());
    EXPECT_NE(Why(many).find("more than the 16 a gallery keeps"), std::string::npos);
  }
  b = good;
  b.push_back(0);
  EXPECT_NE(Why(b).find("size mismatch"), std::string::npos);
  // A cell bit outside the valid cells of cylinder 1: clear its validity words.
  b = good;
  for (size_t i = 12 + 96 + 48; i < 12 + 96 + 96; ++i) b[i] = 0;
  EXPECT_NE(Why(b).find("cylinder 1"), std::string::npos);
}

}  // namespace
}  // namespace idreg::finger
