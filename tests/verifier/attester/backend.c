// SPDX-License-Identifier: GPL-2.0
/*
 * hrot-soft-attester: the attester backend over swtpm and tpm2-tools.
 * The EK and the AKs are persistent objects, so they survive a swtpm
 * restart (the counter test restarts it).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <hrot/hex.h>
#include <hrot/quote.h>
#include <hrot/tpm.h>

#include "soft.h"

/* state/NAME into NAME_buf. */
#define P(name) soft_path(s, #name, name##_buf, sizeof(name##_buf))

static int read_exact(const struct soft_ctx *s, const char *name, void *out,
		      size_t len)
{
	char path[4096];
	uint8_t *buf;
	size_t n;
	int ret;

	ret = soft_read_file(soft_path(s, name, path, sizeof(path)), &buf, &n);
	if (ret)
		return ret;
	if (n != len)
		ret = -EPROTO;
	else
		memcpy(out, buf, len);
	free(buf);
	return ret;
}

static int soft_identity(void *ctx, struct hrot_attester_identity *out)
{
	const struct soft_ctx *s = ctx;
	char path[4096];
	int ret;

	memset(out, 0, sizeof(*out));
	ret = soft_read_file(soft_path(s, "ek.pub", path, sizeof(path)),
			     &out->ek_public, &out->ek_public_len);
	if (!ret)
		ret = soft_read_file(soft_path(s, "ak.pub", path, sizeof(path)),
				     &out->ak_public, &out->ak_public_len);
	if (!ret)
		ret = soft_ek_cert(s, &out->ek_cert, &out->ek_cert_len);
	if (!ret)
		ret = read_exact(s, "ak.name", out->ak_name,
				 HROT_DEVICE_NAME_SIZE);
	if (ret)
		hrot_attester_identity_free(out);
	return ret;
}

static int soft_fp(void *ctx, struct hrot_fingerprint *out)
{
	return soft_fingerprint(ctx, out);
}

/* tpm2_quote -o's PCR file into the wire structure. */
static int take_pcrs(const struct soft_ctx *s, uint32_t mask,
		     struct hrot_wire_quote *q)
{
	uint8_t values[HROT_PCR_COUNT * HROT_SHA256_SIZE], *buf;
	struct hrot_pcr_selection sel;
	struct hrot_tpm_diag diag;
	char path[4096];
	size_t len, vlen = 0, off = 0;
	unsigned int i;
	int ret;

	ret = soft_read_file(soft_path(s, "pcrs", path, sizeof(path)), &buf,
			     &len);
	if (ret)
		return ret;
	ret = hrot_pcrs_file_read(buf, len, &sel, values, sizeof(values),
				  &vlen, &diag);
	free(buf);
	if (ret)
		return -EPROTO;
	for (i = 0; i < HROT_PCR_COUNT; i++) {
		if (!(mask & (1u << i)))
			continue;
		if (off + HROT_SHA256_SIZE > vlen)
			return -EPROTO;
		memcpy(q->pcrs[i], values + off, HROT_SHA256_SIZE);
		off += HROT_SHA256_SIZE;
	}
	q->pcr_mask = mask;
	return off == vlen ? 0 : -EPROTO;
}

static int pcr_list(uint32_t mask, char *buf, size_t size)
{
	size_t n = (size_t)snprintf(buf, size, "sha256:");
	unsigned int i;

	for (i = 0; i < HROT_PCR_COUNT && n < size; i++)
		if (mask & (1u << i))
			n += (size_t)snprintf(buf + n, size - n, "%s%u",
					      buf[n - 1] == ':' ? "" : ",", i);
	return n < size ? 0 : -ENOSPC;
}

static int soft_quote(void *ctx, uint32_t mask, const uint8_t *qual,
		      size_t qual_len, struct hrot_wire_quote *out)
{
	struct soft_ctx *s = ctx;
	char qhex[2 * HROT_QUALIFYING_MAX + 1], list[128];
	char msg_buf[4096], sig_buf[4096];
	int ret;

	memset(out, 0, sizeof(*out));
	if (qual_len > HROT_QUALIFYING_MAX || pcr_list(mask, list, sizeof(list)))
		return -EINVAL;
	hrot_hex_encode(qual, qual_len, qhex, sizeof(qhex));
	{
		char pcrs_buf[4096];
		const char *argv[] = { "tpm2_quote", "-c",
			s->use_other_ak ? SOFT_AK2_HANDLE : s->ak_handle,
			"-l", list, "-q", qhex, "-g", "sha256",
			"-m", P(msg), "-s", P(sig), "-o", P(pcrs), NULL };

		ret = soft_run(s, argv);
	}
	if (!ret)
		ret = soft_read_file(msg_buf, &out->attest, &out->attest_len);
	if (!ret)
		ret = soft_read_file(sig_buf, &out->signature,
				     &out->signature_len);
	if (!ret)
		ret = take_pcrs(s, mask, out);
	if (!ret && s->forge_quote)
		ret = soft_forge(s, out);
	if (ret) {
		free(out->attest);
		free(out->signature);
		memset(out, 0, sizeof(*out));
	}
	return ret;
}

/*
 * The attack TPM_GENERATED_VALUE exists for: the AK is restricted, so it
 * signs only a digest the TPM itself hashed and found not to start with
 * the magic.  Change the magic, have the TPM hash it (with a ticket) and
 * sign it: the signature is the AK's, the attest is not a TPM quote.
 */
int soft_forge(const struct soft_ctx *s, struct hrot_wire_quote *q)
{
	char forged_buf[4096], digest_buf[4096], ticket_buf[4096];
	char fsig_buf[4096];
	uint8_t *sig;
	size_t sig_len;
	int ret;

	if (q->attest_len < 4)
		return -EPROTO;
	q->attest[0] ^= 0xff;		/* 0xff544347 -> 0x00544347 */
	ret = soft_write_file(P(forged), q->attest, q->attest_len);
	if (!ret) {
		const char *argv[] = { "tpm2_hash", "-C", "e", "-g", "sha256",
			"-o", P(digest), "-t", P(ticket), forged_buf, NULL };

		ret = soft_run(s, argv);
	}
	if (!ret) {
		const char *argv[] = { "tpm2_sign", "-c", s->ak_handle,
			"-g", "sha256", "-s", "ecdsa", "-d", "-t", ticket_buf,
			"-o", P(fsig), digest_buf, NULL };

		ret = soft_run(s, argv);
	}
	if (!ret)
		ret = soft_read_file(fsig_buf, &sig, &sig_len);
	if (ret)
		return ret;
	free(q->signature);
	q->signature = sig;
	q->signature_len = sig_len;
	return 0;
}

/* The credential's secret from tpm2_activatecredential's output file. */
static int take_secret(const char *path, uint8_t *secret, size_t size,
		       size_t *secret_len)
{
	uint8_t *got = NULL;
	size_t n = 0;
	int ret = soft_read_file(path, &got, &n);

	unlink(path);
	if (!ret && n > size)
		ret = -ENOSPC;
	if (!ret) {
		memcpy(secret, got, n);
		*secret_len = n;
	}
	if (got)
		explicit_bzero(got, n);
	free(got);
	return ret;
}

/* An EK used with its empty auth value (the H-3 EK has userWithAuth). */
static int activate_password(const struct soft_ctx *s, const char *cred,
			     uint8_t *secret, size_t size, size_t *secret_len)
{
	char out_buf[4096];
	const char *argv[] = { "tpm2_activatecredential", "-c", s->ak_handle,
		"-C", SOFT_EK_HANDLE, "-i", cred, "-o", P(out), NULL };
	int ret = soft_run(s, argv);

	return ret ? ret : take_secret(out_buf, secret, size, secret_len);
}

static int soft_activate(void *ctx, const uint8_t *cred, size_t cred_len,
			 uint8_t *secret, size_t size, size_t *secret_len)
{
	const struct soft_ctx *s = ctx;
	char cred_buf[4096], sess_buf[4096], out_buf[4096], policy[4200];
	int ret;

	ret = soft_write_file(P(cred), cred, cred_len);
	if (ret)
		return ret;
	if (s->ek_password)
		return activate_password(s, cred_buf, secret, size,
					 secret_len);
	{
		const char *start[] = { "tpm2_startauthsession",
			"--policy-session", "-S", P(sess), NULL };

		ret = soft_run(s, start);
	}
	if (!ret) {
		const char *policysecret[] = { "tpm2_policysecret", "-S",
			sess_buf, "-c", "e", NULL };

		ret = soft_run(s, policysecret);
	}
	snprintf(policy, sizeof(policy), "session:%s", sess_buf);
	if (!ret) {
		const char *argv[] = { "tpm2_activatecredential", "-c",
			s->ak_handle, "-C", SOFT_EK_HANDLE, "-i", cred_buf,
			"-o", P(out), "-P", policy, NULL };

		ret = soft_run(s, argv);
	}
	{
		const char *flush[] = { "tpm2_flushcontext", sess_buf, NULL };

		soft_run(s, flush);
	}
	if (!ret)
		ret = take_secret(out_buf, secret, size, secret_len);
	return ret;
}

static int soft_event_log(void *ctx, uint8_t **buf, size_t *len)
{
	const struct soft_ctx *s = ctx;
	char path[4096];

	return soft_read_file(soft_path(s, "log.bin", path, sizeof(path)), buf,
			      len);
}

static const struct hrot_attester_ops soft_ops = {
	.identity = soft_identity,
	.fingerprint = soft_fp,
	.quote = soft_quote,
	.activate_credential = soft_activate,
	.event_log = soft_event_log,
};

void soft_attester(struct soft_ctx *s, struct hrot_attester *out)
{
	out->ops = &soft_ops;
	out->ctx = s;
}

/* Remove whatever a persistent handle holds; absent is fine. */
static void evict(const struct soft_ctx *s, const char *handle)
{
	const char *argv[] = { "tpm2_evictcontrol", "-C", "o", "-c", handle,
			       NULL };

	soft_run(s, argv);
}

/*
 * The AK the verifier wants (restricted ECDSA P-256, nameAlg SHA-256)
 * under an EK used with its empty auth value: tpm2_createak would give it
 * the EK's nameAlg (SHA-384 under the H-3 EK) and satisfy the EK's policy
 * with PolicySecret alone, which the H-3 EK's PolicyOR does not take.
 */
static int create_ak_password(const struct soft_ctx *s, const char *ctx,
			      const char *pub, const char *name)
{
	static const char attrs[] =
		"fixedtpm|fixedparent|sensitivedataorigin|userwithauth|noda|restricted|sign";
	char priv_buf[4096];
	const char *create[] = { "tpm2_create", "-C", SOFT_EK_HANDLE,
		"-G", "ecc256:ecdsa-sha256:null", "-g", "sha256", "-a", attrs,
		"-u", pub, "-r", soft_path(s, "ak.priv", priv_buf,
					   sizeof(priv_buf)), NULL };
	int ret = soft_run(s, create);

	if (!ret) {
		const char *load[] = { "tpm2_load", "-C", SOFT_EK_HANDLE,
			"-u", pub, "-r", priv_buf, "-c", ctx, "-n", name, NULL };

		ret = soft_run(s, load);
	}
	unlink(priv_buf);
	return ret;
}

static int make_ak(const struct soft_ctx *s, const char *handle,
		   const char *pub, const char *name)
{
	char ctx_buf[4096], pub_buf[4096], name_buf[4096];
	const char *create[] = { "tpm2_createak", "-C", SOFT_EK_HANDLE,
		"-c", soft_path(s, "ak.ctx", ctx_buf, sizeof(ctx_buf)),
		"-G", "ecc", "-g", "sha256", "-s", "ecdsa",
		"-u", soft_path(s, pub, pub_buf, sizeof(pub_buf)),
		"-n", soft_path(s, name, name_buf, sizeof(name_buf)), NULL };
	const char *flush[] = { "tpm2_flushcontext", "-t", NULL };
	int ret;

	evict(s, handle);
	ret = s->ek_password ?
	      create_ak_password(s, ctx_buf, pub_buf, name_buf) :
	      soft_run(s, create);
	if (!ret) {
		const char *persist[] = { "tpm2_evictcontrol", "-C", "o",
			"-c", ctx_buf, handle, NULL };

		ret = soft_run(s, persist);
	}
	soft_run(s, flush);
	unlink(ctx_buf);
	return ret;
}

/*
 * state/ek.alg: the EK algorithm of init, for the later commands.  An EK
 * of the high range (H-3, ECC P-384: "ecc384") is used with its empty
 * auth value, the others through PolicySecret(endorsement).
 */
int soft_load_ek_alg(struct soft_ctx *s)
{
	char path[4096];
	uint8_t *buf;
	size_t len;
	int ret = soft_read_file(soft_path(s, "ek.alg", path, sizeof(path)),
				 &buf, &len);

	if (ret)
		return ret == -ENOENT ? 0 : ret;
	s->ek_password = len == 6 && !memcmp(buf, "ecc384", 6);
	free(buf);
	return 0;
}

static int save_ek_alg(const struct soft_ctx *s, const char *ek_alg)
{
	char path[4096];

	return soft_write_file(soft_path(s, "ek.alg", path, sizeof(path)),
			       ek_alg, strlen(ek_alg));
}

int soft_init(struct soft_ctx *s, const char *ek_alg)
{
	char ek_buf[4096];
	const char *create_ek[] = { "tpm2_createek", "-c", SOFT_EK_HANDLE,
		"-G", ek_alg, "-u", soft_path(s, "ek.pub", ek_buf,
					      sizeof(ek_buf)), NULL };
	int ret;

	s->ek_password = !strcmp(ek_alg, "ecc384");
	evict(s, SOFT_EK_HANDLE);
	ret = soft_run(s, create_ek);
	if (!ret)
		ret = save_ek_alg(s, ek_alg);
	if (!ret)
		ret = soft_ek_cert_init(s, ek_alg);
	if (!ret)
		ret = make_ak(s, s->ak_handle, "ak.pub", "ak.name");
	if (!ret)
		ret = make_ak(s, SOFT_AK2_HANDLE, "ak2.pub", "ak2.name");
	if (!ret)
		ret = soft_fingerprint_init(s, ek_alg);
	if (!ret)
		ret = soft_log_init(s);
	return ret;
}
