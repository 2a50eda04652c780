// SPDX-License-Identifier: GPL-2.0
/*
 * hrot_keytool: verifier tokens and raw key syscalls for the keyring tests,
 * without libkeyutils or libcrypto (the helpers are static).
 *
 *   hrot_keytool tbs OUT --spki FILE --device HEX --qualifying HEX
 *                    --issued N --expires N [--kind N] [--id HEX]
 *                    [--instance HEX] [--nonce HEX] [--policy N]
 *                    [--component HEX]
 *       the 228 signed bytes of a struct hrot_token (signer = SHA-256 of
 *       the SPKI file's bytes); sign them with openssl dgst -sha256 -sign
 *   hrot_keytool finish TBS SIGDER OUT
 *       TBS || r || s, from openssl's DER ECDSA-Sig-Value
 *   hrot_keytool add TYPE DESC FILE RING
 *       add_key(2); DESC "-" is none; RING a serial, @s or @u; prints
 *       serial=N, or errno=NAME and exits 2
 *   hrot_keytool token-valid
 *       INFO: prints token_valid=0|1 (HROT_INFO_TOKEN_VALID)
 *   hrot_keytool component-key LABEL
 *       COMPONENT_KEY for this program's own executable: prints
 *       component=HEX key=HEX, or errno=NAME and exits 2
 *   hrot_keytool nocap CMD [ARG...]
 *       runs CMD without CAP_SYS_ADMIN (dropped from every set and from the
 *       bounding set), still as uid 0
 *   hrot_keytool asuser UID CMD [ARG...]
 *       runs CMD as UID (and gid UID, no supplementary groups), which
 *       leaves it no capabilities
 */
#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/capability.h>
#include <linux/hrot_token.h>
#include <linux/keyctl.h>
#include <grp.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/syscall.h>

#include "tcommon.h"

static const char *errname(int e)
{
	switch (e) {
	case EPERM: return "EPERM";
	case EACCES: return "EACCES";
	case EINVAL: return "EINVAL";
	case ENODEV: return "ENODEV";
	case ENOKEY: return "ENOKEY";
	case EKEYEXPIRED: return "EKEYEXPIRED";
	case EKEYREJECTED: return "EKEYREJECTED";
	case EKEYREVOKED: return "EKEYREVOKED";
	case EDQUOT: return "EDQUOT";
	case EIO: return "EIO";
	case ENOMEM: return "ENOMEM";
	case ENODATA: return "ENODATA";
	default: return "other";
	}
}

static int die(const char *what)
{
	fprintf(stderr, "hrot_keytool: %s\n", what);
	return 1;
}

/* Exactly @n bytes of hex into @out. */
static int unhex(const char *s, uint8_t *out, size_t n)
{
	size_t i;
	unsigned int v;

	if (strlen(s) != 2 * n)
		return -1;
	for (i = 0; i < n; i++) {
		if (sscanf(s + 2 * i, "%2x", &v) != 1)
			return -1;
		out[i] = (uint8_t)v;
	}
	return 0;
}

static int write_file(const char *path, const void *p, size_t n)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	int rc;

	if (fd < 0)
		return -1;
	rc = t_write_all(fd, p, n);
	if (close(fd))
		rc = -1;
	return rc;
}

static int random_bytes(uint8_t *p, size_t n)
{
	int fd = open("/dev/urandom", O_RDONLY);
	ssize_t got;

	if (fd < 0)
		return -1;
	got = read(fd, p, n);
	close(fd);
	return got == (ssize_t)n ? 0 : -1;
}

static int tbs_arg(struct hrot_token *t, const char *opt, const char *val)
{
	uint8_t *spki;
	size_t len;

	if (!strcmp(opt, "--spki")) {
		spki = t_read_all(val, &len);
		if (!spki)
			return -1;
		t_sha256(spki, len, t->signer);
		free(spki);
		return 0;
	}
	if (!strcmp(opt, "--device"))
		return unhex(val, t->device, sizeof(t->device));
	if (!strcmp(opt, "--qualifying"))
		return unhex(val, t->qualifying, sizeof(t->qualifying));
	if (!strcmp(opt, "--nonce"))
		return unhex(val, t->nonce, sizeof(t->nonce));
	if (!strcmp(opt, "--id"))
		return unhex(val, t->token_id, sizeof(t->token_id));
	if (!strcmp(opt, "--instance"))
		return unhex(val, t->instance, sizeof(t->instance));
	if (!strcmp(opt, "--component"))
		return unhex(val, t->component, sizeof(t->component));
	if (!strcmp(opt, "--issued"))
		t->issued_at = htole64(strtoull(val, NULL, 0));
	else if (!strcmp(opt, "--expires"))
		t->expires_at = htole64(strtoull(val, NULL, 0));
	else if (!strcmp(opt, "--kind"))
		t->kind = (uint8_t)strtoul(val, NULL, 0);
	else if (!strcmp(opt, "--policy"))
		t->policy_id = htole32(strtoul(val, NULL, 0));
	else
		return -1;
	return 0;
}

static int cmd_tbs(int argc, char **argv)
{
	struct hrot_token t;
	int i;

	memset(&t, 0, sizeof(t));
	memcpy(t.magic, HROT_TOKEN_MAGIC, sizeof(t.magic));
	t.version = htole16(HROT_SIGNED_VERSION);
	t.size = htole16(sizeof(t));
	t.kind = HROT_TOKEN_KIND_RELEASE;
	t.verdict = HROT_VERDICT_PASS;
	t.policy_id = htole32(1);
	if (random_bytes(t.token_id, sizeof(t.token_id)))
		return die("no random bytes");
	for (i = 1; i + 1 < argc; i += 2) {
		if (tbs_arg(&t, argv[i], argv[i + 1])) {
			fprintf(stderr, "hrot_keytool: bad %s %s\n", argv[i],
				argv[i + 1]);
			return 1;
		}
	}
	if (i != argc)
		return die("tbs: options come in pairs");
	if (write_file(argv[0], &t, HROT_TOKEN_SIGNED_SIZE))
		return die("tbs: cannot write the output");
	return 0;
}

/* One DER INTEGER (tag, short length, value) into 32 big-endian bytes. */
static int der_int(const uint8_t *p, size_t left, uint8_t out[32])
{
	size_t len;

	if (left < 2 || p[0] != 0x02)
		return -1;
	len = p[1];
	if (len == 0 || len > 33 || len + 2 > left)
		return -1;
	p += 2;
	if (len == 33) {
		if (p[0] != 0)
			return -1;
		p++;
		len--;
	}
	memset(out, 0, 32);
	memcpy(out + 32 - len, p, len);
	return 0;
}

/* ECDSA-Sig-Value ::= SEQUENCE { r INTEGER, s INTEGER } into r || s. */
static int der_sig(const uint8_t *der, size_t len, uint8_t rs[64])
{
	size_t off = 2;
	size_t n;

	if (len < 2 || der[0] != 0x30 || der[1] != len - 2 || der[1] > 0x7f)
		return -1;
	for (n = 0; n < 2; n++) {
		size_t ilen;

		if (off + 2 > len || der[off] != 0x02)
			return -1;
		ilen = der[off + 1];
		if (der_int(der + off, len - off, rs + 32 * n) < 0)
			return -1;
		off += 2 + ilen;
	}
	return off == len ? 0 : -1;
}

static int cmd_finish(char **argv)
{
	uint8_t tok[HROT_TOKEN_SIZE];
	uint8_t *tbs, *der;
	size_t tbs_len, der_len;
	int rc = 1;

	tbs = t_read_all(argv[0], &tbs_len);
	der = t_read_all(argv[1], &der_len);
	if (!tbs || !der || tbs_len != HROT_TOKEN_SIGNED_SIZE) {
		fprintf(stderr, "hrot_keytool: finish: cannot read %s or %s\n",
			argv[0], argv[1]);
		goto out;
	}
	memcpy(tok, tbs, HROT_TOKEN_SIGNED_SIZE);
	if (der_sig(der, der_len, tok + HROT_TOKEN_SIGNED_SIZE)) {
		fprintf(stderr, "hrot_keytool: finish: %s is not a DER ECDSA signature\n",
			argv[1]);
		goto out;
	}
	if (write_file(argv[2], tok, sizeof(tok)))
		goto out;
	rc = 0;
out:
	free(tbs);
	free(der);
	return rc;
}

static int cmd_add(char **argv)
{
	const char *desc = strcmp(argv[1], "-") ? argv[1] : NULL;
	long ring, serial;
	uint8_t *data;
	size_t len;

	if (!strcmp(argv[3], "@s"))
		ring = KEY_SPEC_SESSION_KEYRING;
	else if (!strcmp(argv[3], "@u"))
		ring = KEY_SPEC_USER_KEYRING;
	else
		ring = strtol(argv[3], NULL, 0);
	data = t_read_all(argv[2], &len);
	if (!data)
		return die("add: cannot read the payload");
	serial = syscall(SYS_add_key, argv[0], desc, data, len, ring);
	free(data);
	if (serial < 0) {
		printf("errno=%s\n", errname(errno));
		fprintf(stderr, "hrot_keytool: add_key: %s\n", strerror(errno));
		return 2;
	}
	printf("serial=%ld\n", serial);
	return 0;
}

static int cmd_token_valid(void)
{
	struct hrot_info info;
	int fd = open(HROT_DEV_PATH, O_RDWR | O_CLOEXEC);

	if (fd < 0 || t_info(fd, &info))
		return die("INFO failed");
	close(fd);
	printf("token_valid=%d\n", !!(info.flags & HROT_INFO_TOKEN_VALID));
	return 0;
}

static void print_hex(const char *name, const uint8_t *p, size_t n)
{
	size_t i;

	printf("%s=", name);
	for (i = 0; i < n; i++)
		printf("%02x", p[i]);
}

static int cmd_component_key(const char *label)
{
	struct hrot_component_key ck;
	int fd = open(HROT_DEV_PATH, O_RDWR | O_CLOEXEC), rc;

	if (fd < 0)
		return die("cannot open the device");
	memset(&ck, 0, sizeof(ck));
	ck.size = sizeof(ck);
	ck.version = HROT_STRUCT_VERSION;
	ck.label_len = (uint32_t)strlen(label);
	memcpy(ck.label, label, ck.label_len < HROT_LABEL_MAX ?
	       ck.label_len : HROT_LABEL_MAX);
	rc = ioctl(fd, HROT_IOC_COMPONENT_KEY, &ck);
	close(fd);
	if (rc) {
		printf("errno=%s\n", errname(errno));
		return 2;
	}
	print_hex("component", ck.component, sizeof(ck.component));
	putchar(' ');
	print_hex("key", ck.key, sizeof(ck.key));
	putchar('\n');
	return 0;
}

static int cmd_nocap(char **argv)
{
	struct __user_cap_header_struct hdr = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct data[2];
	int w = CAP_SYS_ADMIN / 32;
	uint32_t bit = 1u << (CAP_SYS_ADMIN % 32);

	if (prctl(PR_CAPBSET_DROP, CAP_SYS_ADMIN, 0, 0, 0))
		return die("PR_CAPBSET_DROP failed");
	if (syscall(SYS_capget, &hdr, data))
		return die("capget failed");
	data[w].effective &= ~bit;
	data[w].permitted &= ~bit;
	data[w].inheritable &= ~bit;
	if (syscall(SYS_capset, &hdr, data))
		return die("capset failed");
	execvp(argv[0], argv);
	perror("hrot_keytool: exec");
	return 127;
}

static int cmd_asuser(char **argv)
{
	uid_t uid = (uid_t)strtoul(argv[0], NULL, 10);

	if (setgroups(0, NULL) || setgid(uid) || setuid(uid))
		return die("cannot change user");
	execvp(argv[1], argv + 1);
	perror("hrot_keytool: exec");
	return 127;
}

int main(int argc, char **argv)
{
	if (argc >= 3 && !strcmp(argv[1], "tbs"))
		return cmd_tbs(argc - 2, argv + 2);
	if (argc == 5 && !strcmp(argv[1], "finish"))
		return cmd_finish(argv + 2);
	if (argc == 6 && !strcmp(argv[1], "add"))
		return cmd_add(argv + 2);
	if (argc == 2 && !strcmp(argv[1], "token-valid"))
		return cmd_token_valid();
	if (argc == 3 && !strcmp(argv[1], "component-key"))
		return cmd_component_key(argv[2]);
	if (argc >= 4 && !strcmp(argv[1], "asuser"))
		return cmd_asuser(argv + 2);
	if (argc >= 3 && !strcmp(argv[1], "nocap"))
		return cmd_nocap(argv + 2);
	fprintf(stderr, "usage: see the comment at the top of hrot_keytool.c\n");
	return 1;
}
