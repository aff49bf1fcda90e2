// A SQLite VFS for fault-injection tests: it wraps the default VFS and, once armed, fails the
// N-th following write or sync with an I/O error (as a full or failing disk would), then every
// one after it until disarmed.
#ifndef IDREG_TESTS_REGISTRY_FAULTY_VFS_SUPPORT_H_
#define IDREG_TESTS_REGISTRY_FAULTY_VFS_SUPPORT_H_

namespace idreg::testing {

// Registers the VFS as SQLite's default (once per process).
void InstallFaultyVfs();
// Lets `ok_operations` writes/syncs through, then fails; -1 never fails.
void ArmFaults(int ok_operations);
void DisarmFaults();
// Whether a fault was injected since the last ArmFaults.
bool FaultInjected();

}  // namespace idreg::testing

#endif  // IDREG_TESTS_REGISTRY_FAULTY_VFS_SUPPORT_H_
