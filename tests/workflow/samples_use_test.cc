// What PrepareSamples builds for a search and for storage: the same probes and the same stored
// payload; only a record that is going to be stored carries the finger's coarse search form.
#include <gtest/gtest.h>

#include <algorithm>

#include "idreg/finger/iso19794_2.h"
#include "idreg/finger/synthetic.h"
#include "idreg/match/records.h"
#include "idreg/workflow/samples.h"

namespace idreg {
namespace {

CapturedSample IsoFinger(const finger::FingerTemplate& t) {
  auto iso = finger::TemplateToIso(t);
  EXPECT_TRUE(iso.ok()) << iso.status().ToString();
  auto bytes = finger::WriteIso19794_2(*iso);
  EXPECT_TRUE(bytes.ok()) << bytes.status().ToString();
  return {"finger", "right_index", *bytes, "synthetic.iso"};
}

bool HasCoarseForm(const BiometricRecord& r) {
  return std::any_of(r.derived.begin(), r.derived.end(),
                     [](const DerivedForm& d) { return d.kind == match::kFingerCoarseKind; });
}

TEST(SampleUseTest, OnlyStoredFingerRecordsCarryTheCoarseForm) {
  finger::SyntheticFingers fingers(11);
  const std::vector<CapturedSample> samples = {IsoFinger(fingers.Impression(1, 0)), IsoFinger(fingers.Impression(2, 0))};
  PreparedSamples stored = PrepareSamples(samples, {}, SampleUse::kStore);
  PreparedSamples searched = PrepareSamples(samples, {}, SampleUse::kSearch);
  ASSERT_TRUE(stored.rejected.empty()) << DescribeIssues(stored.rejected);
  ASSERT_TRUE(searched.rejected.empty()) << DescribeIssues(searched.rejected);
  ASSERT_EQ(stored.records.size(), 2u);
  ASSERT_EQ(searched.records.size(), 2u);
  ASSERT_EQ(stored.probes.fingers.size(), 2u);
  ASSERT_EQ(searched.probes.fingers.size(), 2u);
  for (size_t i = 0; i < 2; ++i) {
    EXPECT_TRUE(HasCoarseForm(stored.records[i]));
    EXPECT_FALSE(HasCoarseForm(searched.records[i]));
    EXPECT_EQ(stored.records[i].payload, searched.records[i].payload);
    EXPECT_EQ(stored.records[i].position, searched.records[i].position);
    EXPECT_EQ(stored.probes.fingers[i].tmpl.minutiae.size(), searched.probes.fingers[i].tmpl.minutiae.size());
    // The form a stored record carries is the one the gallery would build from its payload.
    auto built = match::FingerCoarseForm(stored.records[i]);
    ASSERT_TRUE(built.ok()) << built.status().ToString();
    const auto it = std::find_if(stored.records[i].derived.begin(), stored.records[i].derived.end(),
                                 [](const DerivedForm& d) { return d.kind == match::kFingerCoarseKind; });
    EXPECT_EQ(it->payload, built->payload);
  }
  // The default is storage: enrollment paths that do not say keep the form.
  EXPECT_TRUE(HasCoarseForm(PrepareSamples(samples).records[0]));
}

}  // namespace
}  // namespace idreg
