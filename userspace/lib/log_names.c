// SPDX-License-Identifier: GPL-2.0
/*
 * libhrot: names of TCG event types (PC Client Platform Firmware Profile,
 * section 10.4.1), for printing logs that are not only hrot's.
 */
#include <stddef.h>

#include <hrot/eventlog.h>
#include "array.h"

#define EV_EFI_EVENT_BASE	0x80000000u

static const char *const tcg_types[] = {
	[0x00] = "EV_PREBOOT_CERT",
	[0x01] = "EV_POST_CODE",
	[0x02] = "EV_UNUSED",
	[0x03] = "EV_NO_ACTION",
	[0x04] = "EV_SEPARATOR",
	[0x05] = "EV_ACTION",
	[0x06] = "EV_EVENT_TAG",
	[0x07] = "EV_S_CRTM_CONTENTS",
	[0x08] = "EV_S_CRTM_VERSION",
	[0x09] = "EV_CPU_MICROCODE",
	[0x0a] = "EV_PLATFORM_CONFIG_FLAGS",
	[0x0b] = "EV_TABLE_OF_DEVICES",
	[0x0c] = "EV_COMPACT_HASH",
	[0x0d] = "EV_IPL",
	[0x0e] = "EV_IPL_PARTITION_DATA",
	[0x0f] = "EV_NONHOST_CODE",
	[0x10] = "EV_NONHOST_CONFIG",
	[0x11] = "EV_NONHOST_INFO",
	[0x12] = "EV_OMIT_BOOT_DEVICE_EVENTS",
};

static const char *const efi_types[] = {
	[0x01] = "EV_EFI_VARIABLE_DRIVER_CONFIG",
	[0x02] = "EV_EFI_VARIABLE_BOOT",
	[0x03] = "EV_EFI_BOOT_SERVICES_APPLICATION",
	[0x04] = "EV_EFI_BOOT_SERVICES_DRIVER",
	[0x05] = "EV_EFI_RUNTIME_SERVICES_DRIVER",
	[0x06] = "EV_EFI_GPT_EVENT",
	[0x07] = "EV_EFI_ACTION",
	[0x08] = "EV_EFI_PLATFORM_FIRMWARE_BLOB",
	[0x09] = "EV_EFI_HANDOFF_TABLES",
	[0x0a] = "EV_EFI_PLATFORM_FIRMWARE_BLOB2",
	[0x0b] = "EV_EFI_HANDOFF_TABLES2",
	[0x0c] = "EV_EFI_VARIABLE_BOOT2",
	[0x10] = "EV_EFI_HCRTM_EVENT",
	[0xe0] = "EV_EFI_VARIABLE_AUTHORITY",
	[0xe1] = "EV_EFI_SPDM_FIRMWARE_BLOB",
	[0xe2] = "EV_EFI_SPDM_FIRMWARE_CONFIG",
};

const char *hrot_event_type_name(uint32_t type)
{
	if (type < ARRAY_SIZE(tcg_types))
		return tcg_types[type];
	if (type >= EV_EFI_EVENT_BASE &&
	    type - EV_EFI_EVENT_BASE < ARRAY_SIZE(efi_types))
		return efi_types[type - EV_EFI_EVENT_BASE];
	return NULL;
}
