/* SPDX-License-Identifier: MIT */
/*
 * Host builds of libsys: its C library functions get a sys_ prefix so they
 * link next to the host's libc (and its sanitizers) without replacing them.
 * Forced into every libsys source of the host build (-include); a test
 * includes it before the libsys headers and then calls the sys_ names.
 */
#pragma once

#define memset	  sys_memset
#define memcpy	  sys_memcpy
#define memmove	  sys_memmove
#define memcmp	  sys_memcmp
#define memchr	  sys_memchr
#define strlen	  sys_strlen
#define strnlen	  sys_strnlen
#define strcmp	  sys_strcmp
#define strncmp	  sys_strncmp
#define strchr	  sys_strchr
#define strrchr	  sys_strrchr
#define strlcpy	  sys_strlcpy
#define strlcat	  sys_strlcat
#define vsnprintf sys_vsnprintf
#define snprintf  sys_snprintf
#define strtol	  sys_strtol
#define strtoul	  sys_strtoul
#define atoi	  sys_atoi
