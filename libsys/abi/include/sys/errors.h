/* SPDX-License-Identifier: MIT */
/*
 * Error codes of the kernel ABI, shared by the kernel and user space. A
 * syscall returns a non-negative result or one of these negative values.
 * One list: the enum and sys_error_name() are both generated from it.
 */
#pragma once

#define SYS_ERROR_LIST(X)                                                                          \
	X(E_OK, 0, "success")                                                                      \
	X(E_INVAL, -1, "invalid argument")                                                         \
	X(E_BADHANDLE, -2, "no such handle")                                                       \
	X(E_RIGHTS, -3, "handle lacks the right for this operation")                               \
	X(E_FAULT, -4, "bad user pointer")                                                         \
	X(E_NOMEM, -5, "out of memory")                                                            \
	X(E_TIMEOUT, -6, "timed out")                                                              \
	X(E_WOULDBLOCK, -7, "operation would block")                                               \
	X(E_CLOSED, -8, "the other side is gone")                                                  \
	X(E_RESTARTED, -9, "the server restarted while the call was in flight")                    \
	X(E_NOSYS, -10, "no such system call")                                                     \
	X(E_RANGE, -11, "value out of range")                                                      \
	X(E_BUSY, -12, "resource busy")                                                            \
	X(E_EXISTS, -13, "already exists")                                                         \
	X(E_NOENT, -14, "not found")                                                               \
	X(E_QUOTA, -15, "memory quota exceeded")                                                   \
	X(E_TYPE, -16, "handle refers to the wrong kind of object")                                \
	X(E_NOSPACE, -17, "table full")                                                            \
	X(E_PROTO, -18, "malformed message")                                                       \
	X(E_IO, -19, "device input/output error")                                                  \
	X(E_NOTDIR, -20, "not a directory")                                                        \
	X(E_ISDIR, -21, "is a directory")                                                          \
	X(E_NOTEMPTY, -22, "directory not empty")                                                  \
	X(E_CORRUPT, -23, "damaged filesystem structure")                                          \
	X(E_ROFS, -24, "read-only filesystem")                                                     \
	X(E_PIPE, -25, "no reader is left on the stream")                                          \
	X(E_INTR, -26, "interrupted")                                                              \
	X(E_XDEV, -27, "on another volume")                                                        \
	X(E_NAMETOOLONG, -28, "path too long")                                                     \
	X(E_NOEXEC, -29, "not an executable program")                                              \
	X(E_NOVOLUME, -30, "no volume mounted yet")

enum sys_error {
#define SYS_ERROR_ENUM(name, value, text) name = (value),
	SYS_ERROR_LIST(SYS_ERROR_ENUM)
#undef SYS_ERROR_ENUM
};

static inline const char *sys_error_name(long err)
{
	switch (err) {
#define SYS_ERROR_CASE(name, value, text)                                                          \
	case value:                                                                                \
		return #name;
		SYS_ERROR_LIST(SYS_ERROR_CASE)
#undef SYS_ERROR_CASE
	default:
		return "E_UNKNOWN";
	}
}

/* 1 if err is one of the codes above (a reply's status must be), else 0. */
static inline int sys_error_known(long err)
{
	switch (err) {
#define SYS_ERROR_KNOWN(name, value, text)                                                         \
	case value:                                                                                \
		return 1;
		SYS_ERROR_LIST(SYS_ERROR_KNOWN)
#undef SYS_ERROR_KNOWN
	default:
		return 0;
	}
}
