// SPDX-License-Identifier: GPL-2.0
/*
 * hrot-soft-attester: the hardware fingerprint, from a small text file of
 * "ID VALUE" lines (state/fingerprint.txt) that a test may edit to play
 * a changed motherboard.  Each component's digest is the SHA-256 of its
 * value, as the module's is of the raw platform string.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/rand.h>

#include <hrot/device.h>
#include <hrot/hex.h>

#include "soft.h"

int soft_fingerprint_init(const struct soft_ctx *s, const char *ek_alg)
{
	uint8_t uuid[16];
	char hex[33], text[512], path[4096];
	const char *ek = !strcmp(ek_alg, "rsa") ? "rsa2048" :
			 !strcmp(ek_alg, "ecc384") ? "ecc-nist-p384" :
			 "ecc-nist-p256";
	int n;

	if (RAND_bytes(uuid, sizeof(uuid)) != 1)
		return -EIO;
	hrot_hex_encode(uuid, sizeof(uuid), hex, sizeof(hex));
	n = snprintf(text, sizeof(text),
		     "%d hrot-soft\n%d swtpm-machine\n%d %s\n%d %s\n",
		     HROT_FP_SYS_VENDOR, HROT_FP_PRODUCT_NAME,
		     HROT_FP_PRODUCT_UUID, hex, HROT_FP_TPM_EK, ek);
	return soft_write_file(soft_path(s, "fingerprint.txt", path,
					 sizeof(path)), text, (size_t)n);
}

static int add_component(struct hrot_fingerprint *fp, unsigned long id,
			 const char *value)
{
	struct hrot_fp_component *c;

	if (fp->nr_components >= HROT_FP_MAX_COMPONENTS || id == 0 ||
	    id > HROT_FP_NR_IDS ||
	    (fp->nr_components &&
	     fp->components[fp->nr_components - 1].id >= id))
		return -EINVAL;		/* ascending ids, as the module's */
	c = &fp->components[fp->nr_components++];
	c->id = (uint32_t)id;
	c->flags = HROT_FP_PRESENT;
	snprintf(c->value, sizeof(c->value), "%s", value);
	return EVP_Digest(value, strlen(value), c->digest, NULL, EVP_sha256(),
			  NULL) ? 0 : -EIO;
}

int soft_fingerprint(const struct soft_ctx *s, struct hrot_fingerprint *fp)
{
	char path[4096], line[256], *end;
	unsigned long id;
	FILE *f;
	int ret = 0;

	memset(fp, 0, sizeof(*fp));
	fp->size = sizeof(*fp);
	fp->version = HROT_STRUCT_VERSION;
	f = fopen(soft_path(s, "fingerprint.txt", path, sizeof(path)), "re");
	if (!f)
		return -errno;
	while (!ret && fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		if (!line[0])
			continue;
		id = strtoul(line, &end, 10);
		if (*end != ' ')
			ret = -EINVAL;
		else
			ret = add_component(fp, id, end + 1);
	}
	fclose(f);
	if (!ret)
		ret = hrot_fingerprint_digest(fp, fp->digest);
	return ret;
}
