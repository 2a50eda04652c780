// SPDX-License-Identifier: GPL-2.0
/*
 * hrotctl identity [--json] [--out DIR]: the TPM's EK and AK
 * (HROT_IOC_IDENTITY).  --out writes ek.pub and ak.pub (TPM2B_PUBLIC, as
 * tpm2-tools' "tss" format), ek.pem, ak.pem, ek.crt (when there is one)
 * and ak.name.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "attest.h"

struct id_args {
	bool json;
	const char *out;
};

struct id_keys {
	EVP_PKEY *ek, *ak;
	char *ek_pem, *ak_pem;
};

static const char *template_name(uint32_t t)
{
	switch (t) {
	case HROT_EK_L1_RSA2048:
		return "L-1 RSA-2048";
	case HROT_EK_L2_ECC_P256:
		return "L-2 ECC-P256";
	case HROT_EK_H3_ECC_P384:
		return "H-3 ECC-P384";
	default:
		return "unknown";
	}
}

static int parse_id_args(int argc, char **argv, struct id_args *a)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "out", required_argument, NULL, 'o' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	memset(a, 0, sizeof(*a));
	opts_restart();
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 'j')
			a->json = true;
		else if (c == 'o')
			a->out = optarg;
		else
			return usage_error("identity", "bad option '%s'",
					   argv[optind - 1]);
	}
	if (optind != argc)
		return usage_error("identity", "unexpected argument '%s'",
				   argv[optind]);
	return 0;
}

static EVP_PKEY *key_of(const uint8_t *p, size_t len, const char *what)
{
	struct hrot_tpm_public pub;
	struct hrot_tpm_diag diag;
	EVP_PKEY *pk = NULL;

	if (hrot_tpm_public_unmarshal(p, len, &pub, &diag)) {
		errmsg("identity: the %s's TPMT_PUBLIC: offset %zu: %s", what,
		       diag.offset, diag.msg);
		return NULL;
	}
	if (hrot_tpm_public_to_pkey(&pub, &pk))
		errmsg("identity: the %s is not a usable key", what);
	return pk;
}

static int load_keys(const struct hrot_identity_info *id, struct id_keys *k)
{
	k->ek = key_of(id->ek_public, id->ek_public_len, "EK");
	k->ak = k->ek ? key_of(id->ak_public, id->ak_public_len, "AK") : NULL;
	if (!k->ak || hrot_pkey_to_pem(k->ek, &k->ek_pem) ||
	    hrot_pkey_to_pem(k->ak, &k->ak_pem))
		return -1;
	return 0;
}

static void free_keys(struct id_keys *k)
{
	EVP_PKEY_free(k->ek);
	EVP_PKEY_free(k->ak);
	free(k->ek_pem);
	free(k->ak_pem);
}

static int write_tss_pub(const char *dir, const char *name, const uint8_t *p,
			 size_t len)
{
	uint8_t *buf = malloc(len + 2);
	int ret;

	if (!buf || len > UINT16_MAX) {
		free(buf);
		errmsg("identity: %s: cannot write", name);
		return -1;
	}
	buf[0] = (uint8_t)(len >> 8);
	buf[1] = (uint8_t)len;
	memcpy(buf + 2, p, len);
	ret = write_all("identity", dir, name, buf, len + 2);
	free(buf);
	return ret;
}

static int write_files(const char *dir, const struct hrot_identity_info *id,
		       const struct id_keys *k)
{
	if (write_tss_pub(dir, "ek.pub", id->ek_public, id->ek_public_len) ||
	    write_tss_pub(dir, "ak.pub", id->ak_public, id->ak_public_len) ||
	    write_all("identity", dir, "ek.pem", k->ek_pem,
		      strlen(k->ek_pem)) ||
	    write_all("identity", dir, "ak.pem", k->ak_pem,
		      strlen(k->ak_pem)) ||
	    write_all("identity", dir, "ak.name", id->ak_name,
		      id->ak_name_len))
		return -1;
	if (id->ek_cert_len &&
	    write_all("identity", dir, "ek.crt", id->ek_cert, id->ek_cert_len))
		return -1;
	return 0;
}

static void print_text_id(const struct hrot_identity_info *id,
			  const struct id_keys *k)
{
	printf("ek_template %s\n", template_name(id->ek_template));
	if (id->ek_cert_len)
		printf("ek_cert present (NV 0x%08x, %zu bytes)\n",
		       id->ek_cert_index, id->ek_cert_len);
	else
		printf("ek_cert absent\n");
	printf("ak_name ");
	print_hex(stdout, id->ak_name, id->ak_name_len);
	printf("\nek_public\n%sak_public\n%s", k->ek_pem, k->ak_pem);
}

static int print_json_id(const struct hrot_identity_info *id,
			 const struct id_keys *k)
{
	struct json_object *o = json_object_new_object();

	if (!o ||
	    !json_add(o, "ek_template",
		      json_object_new_string(template_name(id->ek_template))) ||
	    !json_add(o, "ek_cert", json_object_new_boolean(id->ek_cert_len != 0)) ||
	    !json_add(o, "ek_cert_index",
		      json_object_new_int64(id->ek_cert_index)) ||
	    !json_add(o, "ak_name", json_hex(id->ak_name, id->ak_name_len)) ||
	    !json_add(o, "ek_pem", json_object_new_string(k->ek_pem)) ||
	    !json_add(o, "ak_pem", json_object_new_string(k->ak_pem))) {
		json_object_put(o);
		errmsg("identity: out of memory");
		return EXIT_FAIL;
	}
	return json_print(o);
}

static int show(const struct id_args *a, const struct hrot_identity_info *id)
{
	struct id_keys k = { NULL, NULL, NULL, NULL };
	int ret = EXIT_FAIL;

	if (load_keys(id, &k) == 0 &&
	    (!a->out || write_files(a->out, id, &k) == 0)) {
		ret = EXIT_OK;
		if (a->json)
			ret = print_json_id(id, &k);
		else
			print_text_id(id, &k);
	}
	free_keys(&k);
	return ret;
}

int cmd_identity(const struct global_opts *g, int argc, char **argv)
{
	struct hrot_identity_info id;
	struct id_args a;
	int fd, ret;

	ret = parse_id_args(argc, argv, &a);
	if (ret)
		return ret;
	fd = open_device(g, "identity");
	if (fd < 0)
		return EXIT_FAIL;
	ret = hrot_dev_identity(fd, &id);
	hrot_dev_close(fd);
	if (ret) {
		dev_error(g, "identity", HROT_OP_IDENTITY, ret);
		return EXIT_FAIL;
	}
	ret = show(&a, &id);
	hrot_identity_info_free(&id);
	return ret;
}
