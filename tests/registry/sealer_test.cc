#include "idreg/registry/sealer.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cstring>
#include <filesystem>
#include <fstream>

#include "registry/store_test_util.h"

namespace idreg {
namespace {

TEST(SealerTest, PayloadRoundTripsAndIsBoundToPersonAndRecord) {
  Sealer sealer(MasterKey::Generate());
  ProfileId person = Id::Random(), other = Id::Random();
  Id record = Id::Random();
  DataKey key = DataKey::Random();
  Bytes plain = ToBytes("minutiae template bytes");
  Bytes sealed = Sealer::Seal(key, person, record, plain);
  EXPECT_EQ(sealed.size(), plain.size() + 1 + 24 + 16);
  EXPECT_EQ(ToString(sealed).find("minutiae"), std::string::npos);
  EXPECT_EQ(*Sealer::Open(key, person, record, sealed), plain);
  EXPECT_EQ(Sealer::Open(key, other, record, sealed).status().code(), StatusCode::kCorruption);
  EXPECT_EQ(Sealer::Open(key, person, Id::Random(), sealed).status().code(), StatusCode::kCorruption);
  EXPECT_FALSE(Sealer::Open(DataKey::Random(), person, record, sealed).ok());
  Bytes flipped = sealed;
  flipped[30] ^= 1;
  EXPECT_FALSE(Sealer::Open(key, person, record, flipped).ok());
  EXPECT_FALSE(Sealer::Open(key, person, record, Bytes(sealed.begin(), sealed.begin() + 20)).ok());
  EXPECT_NE(Sealer::Seal(key, person, record, plain), sealed) << "nonces must be fresh";
}

TEST(SealerTest, DataKeysUnwrapOnlyWithTheirMasterKeyAndPerson) {
  auto master = MasterKey::Generate();
  Sealer sealer(master);
  ProfileId person = Id::Random();
  DataKey key = DataKey::Random();
  Bytes wrapped = sealer.WrapDataKey(person, key);
  auto back = sealer.UnwrapDataKey(person, wrapped);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(std::memcmp(back->data(), key.data(), DataKey::kBytes), 0);
  EXPECT_EQ(sealer.UnwrapDataKey(Id::Random(), wrapped).status().code(), StatusCode::kUnauthenticated);
  Sealer other(MasterKey::Generate());
  EXPECT_EQ(other.UnwrapDataKey(person, wrapped).status().code(), StatusCode::kUnauthenticated);
}

TEST(MasterKeyTest, KeyFileIsCreatedPrivateAndNeverOverwritten) {
  testing::TempDir dir;
  std::string path = (dir.path() / "master.key").string();
  auto key = MasterKey::Generate();
  ASSERT_TRUE(MasterKey::Create(path, *key).ok());
  struct stat st;
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600);
  EXPECT_EQ(MasterKey::Create(path, *MasterKey::Generate()).code(), StatusCode::kAlreadyExists);
  auto loaded = MasterKey::Load(path);
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  EXPECT_EQ((*loaded)->KeyId(), key->KeyId());
  EXPECT_NE(MasterKey::Generate()->KeyId(), key->KeyId());
  ::chmod(path.c_str(), 0644);
  EXPECT_EQ(MasterKey::Load(path).status().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(MasterKey::Load(path + ".absent").status().code(), StatusCode::kNotFound);
}

TEST(MasterKeyTest, MalformedKeysAreRefusedWithReasons) {
  EXPECT_EQ(MasterKey::FromBase64("c2hvcnQ=").status().code(), StatusCode::kInvalidArgument);
  EXPECT_FALSE(MasterKey::FromBase64("not base64!").ok());
  auto key = MasterKey::Generate();
  auto back = MasterKey::FromBase64(key->ToBase64());
  ASSERT_TRUE(back.ok());
  EXPECT_EQ((*back)->KeyId(), key->KeyId());
  testing::TempDir dir;
  auto path = dir.path() / "bad.key";
  {
    std::ofstream f(path);
    f << "something else\n" << key->ToBase64() << "\n";
  }
  ::chmod(path.c_str(), 0600);
  auto bad = MasterKey::Load(path.string());
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), StatusCode::kCorruption);
}

}  // namespace
}  // namespace idreg
