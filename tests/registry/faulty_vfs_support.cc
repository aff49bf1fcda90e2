#include "registry/faulty_vfs_support.h"

#include <sqlite3.h>

#include <atomic>
#include <cstring>

namespace idreg::testing {
namespace {

std::atomic<int> g_ok_left{-1};
std::atomic<bool> g_injected{false};
sqlite3_vfs* g_real = nullptr;

struct FaultyFile {
  sqlite3_file base;
  sqlite3_file* real;  // allocated right after this struct
};

sqlite3_file* Real(sqlite3_file* f) { return reinterpret_cast<FaultyFile*>(f)->real; }

bool ShouldFail() {
  int left = g_ok_left.load();
  while (left > 0 && !g_ok_left.compare_exchange_weak(left, left - 1)) {
  }
  if (left == 0) {
    g_injected = true;
    return true;
  }
  return false;
}

int Close(sqlite3_file* f) { return Real(f)->pMethods->xClose(Real(f)); }
int Read(sqlite3_file* f, void* b, int n, sqlite3_int64 o) { return Real(f)->pMethods->xRead(Real(f), b, n, o); }
int Write(sqlite3_file* f, const void* b, int n, sqlite3_int64 o) {
  if (ShouldFail()) return SQLITE_IOERR_WRITE;
  return Real(f)->pMethods->xWrite(Real(f), b, n, o);
}
int Truncate(sqlite3_file* f, sqlite3_int64 s) { return Real(f)->pMethods->xTruncate(Real(f), s); }
int Sync(sqlite3_file* f, int flags) {
  if (ShouldFail()) return SQLITE_IOERR_FSYNC;
  return Real(f)->pMethods->xSync(Real(f), flags);
}
int FileSize(sqlite3_file* f, sqlite3_int64* s) { return Real(f)->pMethods->xFileSize(Real(f), s); }
int Lock(sqlite3_file* f, int l) { return Real(f)->pMethods->xLock(Real(f), l); }
int Unlock(sqlite3_file* f, int l) { return Real(f)->pMethods->xUnlock(Real(f), l); }
int CheckReservedLock(sqlite3_file* f, int* r) { return Real(f)->pMethods->xCheckReservedLock(Real(f), r); }
int FileControl(sqlite3_file* f, int op, void* a) { return Real(f)->pMethods->xFileControl(Real(f), op, a); }
int SectorSize(sqlite3_file* f) { return Real(f)->pMethods->xSectorSize(Real(f)); }
int DeviceCharacteristics(sqlite3_file* f) { return Real(f)->pMethods->xDeviceCharacteristics(Real(f)); }
int ShmMap(sqlite3_file* f, int i, int s, int e, void volatile** p) {
  return Real(f)->pMethods->xShmMap(Real(f), i, s, e, p);
}
int ShmLock(sqlite3_file* f, int o, int n, int fl) { return Real(f)->pMethods->xShmLock(Real(f), o, n, fl); }
void ShmBarrier(sqlite3_file* f) { Real(f)->pMethods->xShmBarrier(Real(f)); }
int ShmUnmap(sqlite3_file* f, int d) { return Real(f)->pMethods->xShmUnmap(Real(f), d); }
int Fetch(sqlite3_file* f, sqlite3_int64 o, int n, void** p) { return Real(f)->pMethods->xFetch(Real(f), o, n, p); }
int Unfetch(sqlite3_file* f, sqlite3_int64 o, void* p) { return Real(f)->pMethods->xUnfetch(Real(f), o, p); }

const sqlite3_io_methods kMethods = {3,         Close,      Read,          Write,       Truncate,
                                     Sync,      FileSize,   Lock,          Unlock,      CheckReservedLock,
                                     FileControl, SectorSize, DeviceCharacteristics, ShmMap, ShmLock,
                                     ShmBarrier, ShmUnmap,  Fetch,         Unfetch};

int Open(sqlite3_vfs*, const char* name, sqlite3_file* f, int flags, int* out_flags) {
  auto* ff = reinterpret_cast<FaultyFile*>(f);
  ff->real = reinterpret_cast<sqlite3_file*>(ff + 1);
  int rc = g_real->xOpen(g_real, name, ff->real, flags, out_flags);
  ff->base.pMethods = (rc == SQLITE_OK && ff->real->pMethods) ? &kMethods : nullptr;
  return rc;
}
int Delete(sqlite3_vfs*, const char* n, int s) { return g_real->xDelete(g_real, n, s); }
int Access(sqlite3_vfs*, const char* n, int f, int* r) { return g_real->xAccess(g_real, n, f, r); }
int FullPathname(sqlite3_vfs*, const char* n, int len, char* out) {
  return g_real->xFullPathname(g_real, n, len, out);
}
void* DlOpen(sqlite3_vfs*, const char* n) { return g_real->xDlOpen(g_real, n); }
void DlError(sqlite3_vfs*, int n, char* m) { g_real->xDlError(g_real, n, m); }
void (*DlSym(sqlite3_vfs*, void* h, const char* s))(void) { return g_real->xDlSym(g_real, h, s); }
void DlClose(sqlite3_vfs*, void* h) { g_real->xDlClose(g_real, h); }
int Randomness(sqlite3_vfs*, int n, char* o) { return g_real->xRandomness(g_real, n, o); }
int Sleep(sqlite3_vfs*, int us) { return g_real->xSleep(g_real, us); }
int CurrentTime(sqlite3_vfs*, double* t) { return g_real->xCurrentTime(g_real, t); }
int GetLastError(sqlite3_vfs*, int n, char* m) { return g_real->xGetLastError(g_real, n, m); }
int CurrentTimeInt64(sqlite3_vfs*, sqlite3_int64* t) { return g_real->xCurrentTimeInt64(g_real, t); }

}  // namespace

void InstallFaultyVfs() {
  static sqlite3_vfs vfs;
  static bool installed = false;
  if (installed) return;
  sqlite3_initialize();
  g_real = sqlite3_vfs_find(nullptr);
  std::memset(&vfs, 0, sizeof vfs);
  vfs.iVersion = 2;
  vfs.szOsFile = static_cast<int>(sizeof(FaultyFile)) + g_real->szOsFile;
  vfs.mxPathname = g_real->mxPathname;
  vfs.zName = "idreg-faulty";
  vfs.xOpen = Open;
  vfs.xDelete = Delete;
  vfs.xAccess = Access;
  vfs.xFullPathname = FullPathname;
  vfs.xDlOpen = DlOpen;
  vfs.xDlError = DlError;
  vfs.xDlSym = DlSym;
  vfs.xDlClose = DlClose;
  vfs.xRandomness = Randomness;
  vfs.xSleep = Sleep;
  vfs.xCurrentTime = CurrentTime;
  vfs.xGetLastError = GetLastError;
  vfs.xCurrentTimeInt64 = CurrentTimeInt64;
  sqlite3_vfs_register(&vfs, /*makeDflt=*/1);
  installed = true;
}

void ArmFaults(int ok_operations) {
  g_injected = false;
  g_ok_left = ok_operations;
}
void DisarmFaults() { g_ok_left = -1; }
bool FaultInjected() { return g_injected; }

}  // namespace idreg::testing
