/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hrot-soft-attester: a device made of swtpm, driven by tpm2-tools, with
 * an event log in the module's format that it writes itself.  It plays
 * /dev/hrot for libhrot-client in the service tests.
 */
#ifndef HROT_SOFT_H
#define HROT_SOFT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <hrot/client.h>

#define SOFT_EK_HANDLE		"0x81010001"
#define SOFT_AK_HANDLE		"0x81010002"
#define SOFT_AK2_HANDLE		"0x81010003"	/* an AK never enrolled */
#define SOFT_PCR		13

struct soft_ctx {
	const char *state;		/* state directory */
	char ak_handle[16];
	bool use_other_ak;		/* tamper: quote with SOFT_AK2_HANDLE */
	bool forge_quote;		/* tamper: re-sign attest without magic */
	bool ek_password;		/* EK used with its auth value (H-3) */
};

/* tools.c: run a tpm2-tools command, output to state/tools.log. */
int soft_run(const struct soft_ctx *s, const char *const argv[]);
/* The same for a command whose failure is an answer, not an error. */
int soft_try(const struct soft_ctx *s, const char *const argv[]);
/* "state/name" into @buf. */
const char *soft_path(const struct soft_ctx *s, const char *name, char *buf,
		      size_t size);
int soft_read_file(const char *path, uint8_t **buf, size_t *len);
int soft_write_file(const char *path, const void *buf, size_t len);

/* backend.c */
void soft_attester(struct soft_ctx *s, struct hrot_attester *out);
int soft_init(struct soft_ctx *s, const char *ek_alg);
int soft_load_ek_alg(struct soft_ctx *s);
int soft_forge(const struct soft_ctx *s, struct hrot_wire_quote *q);

/* log.c: measure into PCR 13 and the log; re-extend after a restart. */
int soft_log_init(const struct soft_ctx *s);
int soft_measure(const struct soft_ctx *s, const char *name,
		 const char *file);
int soft_boot(const struct soft_ctx *s);

/* ekcert.c: the EK certificate of a manufactured TPM into state/ek.cert;
 * soft_ek_cert() gives it (NULL when there is none). */
int soft_ek_cert_init(const struct soft_ctx *s, const char *ek_alg);
int soft_ek_cert(const struct soft_ctx *s, uint8_t **cert, size_t *len);

/* fingerprint.c */
int soft_fingerprint_init(const struct soft_ctx *s, const char *ek_alg);
int soft_fingerprint(const struct soft_ctx *s, struct hrot_fingerprint *fp);

#endif /* HROT_SOFT_H */
