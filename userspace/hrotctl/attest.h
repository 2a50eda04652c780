/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hrotctl: helpers of the attestation commands (attest_util.c).
 */
#ifndef HROTCTL_ATTEST_H
#define HROTCTL_ATTEST_H

#include <hrot/credential.h>
#include <hrot/quote.h>
#include <hrot/tpm.h>
#include <hrot/tpm_key.h>

#include "hrotctl.h"

/* getopt starts over for each command. */
void opts_restart(void);

/* Whole file, at most @max bytes, to free(): 0, or -1 after saying why. */
int read_all(const char *command, const char *path, size_t max,
	     uint8_t **buf, size_t *len);

/* @dir/@name (or @name when @dir is NULL): 0, or -1 after saying why. */
int write_all(const char *command, const char *dir, const char *name,
	      const void *p, size_t len);

/* Even-length hex, at most @max bytes: 0 or -EINVAL. */
int parse_hex_var(const char *s, uint8_t *out, size_t max, size_t *len);

/* A public key from PEM, SPKI DER or TPM2B_PUBLIC; NULL after saying why. */
EVP_PKEY *load_ak(const char *command, const char *path);

/* @pk as PEM into @dir/@name: 0, or -1 after saying why. */
int write_pem(const char *command, const char *dir, const char *name,
	      EVP_PKEY *pk);

#endif /* HROTCTL_ATTEST_H */
