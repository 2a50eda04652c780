// SPDX-License-Identifier: GPL-2.0
/*
 * hrotctl: the table of commands.
 */
#include <string.h>

#include "hrotctl.h"

const struct command hrotctl_commands[] = {
	{ "info", "[--json]",
	  "the module: ABI, TPM, PCR, banks, log size", cmd_info },
	{ "extend", "[--type N] [--digest HEX] DESCRIPTION",
	  "log a digest (default: SHA-256 of DESCRIPTION); print its index",
	  cmd_extend },
	{ "measure", "FILE...",
	  "have the kernel hash and log files; print them as sha256sum",
	  cmd_measure },
	{ "log", "[--json] [--file PATH] [--no-verify]",
	  "print the event log, checking each record's digests", cmd_log },
	{ "replay", "[--json] [--file PATH] [--no-verify]",
	  "print the PCR values the event log predicts", cmd_replay },
	{ "fingerprint", "[--json]",
	  "the hardware fingerprint and its components", cmd_fingerprint },
	{ "identity", "[--json] [--out DIR]",
	  "the TPM's EK and AK; --out writes them as tpm2-tools files",
	  cmd_identity },
	{ "quote", "--nonce HEX --pcrs LIST --out DIR",
	  "quote SHA-256 PCRs with the AK, as tpm2_quote writes it", cmd_quote },
	{ "verify-quote",
	  "--ak FILE --msg FILE --sig FILE --pcrs FILE --nonce HEX [--pcr-list LIST]",
	  "check a quote: signature, nonce, PCR selection and digest",
	  cmd_verify_quote },
	{ "makecredential", "--ek ek.pub --name HEX --secret FILE --out FILE",
	  "TPM2_MakeCredential in software, as tpm2_makecredential -T none",
	  cmd_makecredential },
	{ "activate-credential", "--in FILE [--out FILE]",
	  "recover a credential's secret with the TPM's EK and AK",
	  cmd_activate_credential },
	{ "monitor", "[--json] [--count N] [--timeout SEC]",
	  "print the module's netlink events (measurements, tokens) as they come",
	  cmd_monitor },
	{ NULL, NULL, NULL, NULL },
};

const struct command *find_command(const char *name)
{
	const struct command *c;

	for (c = hrotctl_commands; c->name; c++)
		if (strcmp(c->name, name) == 0)
			return c;
	return NULL;
}
