// SPDX-License-Identifier: GPL-2.0
/*
 * hrot_raw: the module's ioctls and log, read without libhrot, as an
 * independent oracle for hrotctl in the guest tests.
 *
 *   hrot_raw info               INFO as key=value lines
 *   hrot_raw fingerprint        FINGERPRINT: digest=, nr_components=, then
 *                               "component ID FLAGS DIGEST VALUE" lines
 *   hrot_raw logdump [FILE]     validate the binary log (tcommon's parser)
 *                               and print banks=, pcrs=, records=, then
 *                               "rec INDEX PCR TYPE KIND SHA256 SIZE NAME"
 *                               (NAME with \\, \n and \ooo escapes)
 *   hrot_raw extend [-t TYPE] DESC   EXTEND (digest = SHA-256 of DESC),
 *                               prints the index
 *   hrot_raw measure FILE...    MEASURE_FD, prints "HEX  FILE" like
 *                               sha256sum, plus index= and size= to stderr
 *   hrot_raw hold SECONDS       keep /dev/hrot open for SECONDS
 *
 * Exit status 0 on success, 1 on a failed ioctl or an invalid log.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>

#include "tcommon.h"

static int open_dev(void)
{
	int fd = open(HROT_DEV_PATH, O_RDWR | O_CLOEXEC);

	if (fd < 0) {
		fprintf(stderr, "hrot_raw: open %s: %s\n", HROT_DEV_PATH,
			strerror(errno));
		exit(1);
	}
	return fd;
}

static int cmd_info(void)
{
	struct hrot_info info;
	int fd = open_dev();
	unsigned i;

	if (t_info(fd, &info)) {
		fprintf(stderr, "hrot_raw: INFO: %s\n", strerror(errno));
		return 1;
	}
	printf("size=%u\nversion=%u\nabi_version=%u\nflags=%u\n", info.size,
	       info.version, info.abi_version, info.flags);
	printf("tpm_present=%d\n", !!(info.flags & HROT_INFO_TPM_PRESENT));
	printf("pcr_index=%u\nhash_alg=0x%04x\nnr_banks=%u\nbanks=",
	       info.pcr_index, info.hash_alg, info.nr_banks);
	for (i = 0; i < info.nr_banks && i < HROT_MAX_BANKS; i++)
		printf("%s%s", i ? "," : "", t_alg_name(info.banks[i]));
	printf("\nlog_entries=%llu\nlog_bytes=%llu\nlog_max_bytes=%llu\n",
	       (unsigned long long)info.log_entries,
	       (unsigned long long)info.log_bytes,
	       (unsigned long long)info.log_max_bytes);
	close(fd);
	return 0;
}

static int cmd_fingerprint(void)
{
	struct hrot_fingerprint *fp = calloc(1, sizeof(*fp));
	char hex[65];
	int fd = open_dev();
	unsigned i;

	if (!fp)
		return 1;
	fp->size = sizeof(*fp);
	fp->version = HROT_STRUCT_VERSION;
	if (ioctl(fd, HROT_IOC_FINGERPRINT, fp)) {
		fprintf(stderr, "hrot_raw: FINGERPRINT: %s\n", strerror(errno));
		return 1;
	}
	printf("digest=%s\n", t_hex(fp->digest, 32, hex));
	printf("nr_components=%u\n", fp->nr_components);
	for (i = 0; i < fp->nr_components && i < HROT_FP_MAX_COMPONENTS; i++) {
		struct hrot_fp_component *c = &fp->components[i];

		c->value[HROT_FP_VALUE_MAX - 1] = 0;
		printf("component %u %u %s %s\n", c->id, c->flags,
		       t_hex(c->digest, 32, hex), c->value);
	}
	free(fp);
	close(fd);
	return 0;
}

/* A name on one line: backslash as \\, newline as \n, other control
 * bytes as \ooo; everything else (spaces too) as is. */
static void print_name(const char *name, uint32_t len)
{
	uint32_t i;

	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)name[i];

		if (c == '\\')
			fputs("\\\\", stdout);
		else if (c == '\n')
			fputs("\\n", stdout);
		else if (c < 0x20 || c == 0x7f)
			printf("\\%03o", c);
		else
			putchar(c);
	}
	putchar('\n');
}

static int cmd_logdump(const char *path)
{
	char err[256], hex[65];
	struct t_log lg;
	uint8_t *buf;
	size_t len, i;
	unsigned b;

	buf = t_read_all(path, &len);
	if (!buf) {
		fprintf(stderr, "hrot_raw: %s: %s\n", path, strerror(errno));
		return 1;
	}
	if (t_log_parse(&lg, buf, len, err, sizeof(err))) {
		fprintf(stderr, "hrot_raw: %s: invalid log: %s\n", path, err);
		return 1;
	}
	printf("bytes=%zu\nbanks=", len);
	for (b = 0; b < lg.nbanks; b++)
		printf("%s%s", b ? "," : "", t_alg_name(lg.banks[b].alg));
	printf("\nrecords=%zu\n", lg.nrec);
	for (i = 0; i < lg.nrec; i++) {
		const struct t_rec *r = &lg.recs[i];

		printf("rec %zu %u 0x%x %s %s %llu ", i, r->pcr, r->type,
		       r->kind == HROT_EVENT_FILE ? "file" : "extend",
		       t_hex(r->content, 32, hex),
		       (unsigned long long)r->file_size);
		print_name(r->name, r->name_len);
	}
	t_log_free(&lg);
	free(buf);
	return 0;
}

static int cmd_extend(int argc, char **argv)
{
	uint32_t type = HROT_EV_EVENT_TAG;
	uint64_t index;
	int fd;

	if (argc >= 2 && strcmp(argv[0], "-t") == 0) {
		type = (uint32_t)strtoul(argv[1], NULL, 0);
		argc -= 2;
		argv += 2;
	}
	if (argc != 1) {
		fprintf(stderr, "usage: hrot_raw extend [-t TYPE] DESC\n");
		return 2;
	}
	fd = open_dev();
	if (t_extend(fd, type, argv[0], strlen(argv[0]), NULL, &index)) {
		fprintf(stderr, "hrot_raw: EXTEND: %s\n", strerror(errno));
		return 1;
	}
	printf("%llu\n", (unsigned long long)index);
	return 0;
}

static int cmd_measure(int argc, char **argv)
{
	int fd = open_dev(), i, rc = 0;

	for (i = 0; i < argc; i++) {
		uint8_t d[32];
		uint64_t size, index;
		char hex[65];
		int ffd = open(argv[i], O_RDONLY | O_CLOEXEC);

		if (ffd < 0) {
			fprintf(stderr, "hrot_raw: %s: %s\n", argv[i],
				strerror(errno));
			rc = 1;
			continue;
		}
		if (t_measure_fd(fd, ffd, d, &size, &index)) {
			fprintf(stderr, "hrot_raw: MEASURE_FD %s: %s\n",
				argv[i], strerror(errno));
			rc = 1;
		} else {
			printf("%s  %s\n", t_hex(d, 32, hex), argv[i]);
			fprintf(stderr, "index=%llu size=%llu\n",
				(unsigned long long)index,
				(unsigned long long)size);
		}
		close(ffd);
	}
	return rc;
}

int main(int argc, char **argv)
{
	if (argc < 2)
		goto usage;
	if (!strcmp(argv[1], "info"))
		return cmd_info();
	if (!strcmp(argv[1], "fingerprint"))
		return cmd_fingerprint();
	if (!strcmp(argv[1], "logdump"))
		return cmd_logdump(argc > 2 ? argv[2] : HROT_BIN_LOG);
	if (!strcmp(argv[1], "extend"))
		return cmd_extend(argc - 2, argv + 2);
	if (!strcmp(argv[1], "measure"))
		return cmd_measure(argc - 2, argv + 2);
	if (!strcmp(argv[1], "hold") && argc == 3) {
		int fd = open_dev();

		sleep((unsigned)atoi(argv[2]));
		close(fd);
		return 0;
	}
usage:
	fprintf(stderr,
		"usage: hrot_raw info|fingerprint|logdump [FILE]|extend [-t TYPE] DESC|measure FILE...|hold SECONDS\n");
	return 2;
}
