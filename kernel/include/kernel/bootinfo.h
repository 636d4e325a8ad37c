/* SPDX-License-Identifier: MIT */
/* What the kernel learned at boot (core/main.c), for the code that hands it on. */
#pragma once

struct boot_info;
struct acpi_info;

const struct boot_info *kernel_boot_info(void);
const struct acpi_info *kernel_acpi_info(void);
