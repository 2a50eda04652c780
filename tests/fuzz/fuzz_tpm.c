// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: every TPM structure parser of libhrot (TPMT_PUBLIC,
 * TPM2B_PUBLIC, TPMS_ATTEST, TPMT_SIGNATURE, TPML_PCR_SELECTION, the PCR
 * file of tpm2_quote, the credential file of tpm2_makecredential), chosen
 * by the first byte.  What parses must marshal back to the same bytes.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <hrot/credential.h>
#include <hrot/quote.h>
#include <hrot/tpm.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint8_t out[4096];

static void same(int n, const uint8_t *data, size_t size)
{
	if (n < 0 || (size_t)n != size || memcmp(out, data, size) != 0)
		abort();
}

static void fuzz_public(const uint8_t *d, size_t n, int sized)
{
	struct hrot_tpm_public p;
	struct hrot_tpm_diag diag;

	if (sized) {
		if (hrot_tpm2b_public_unmarshal(d, n, &p, &diag) == 0)
			same(hrot_tpm2b_public_marshal(&p, out, sizeof(out)), d, n);
		return;
	}
	if (hrot_tpm_public_unmarshal(d, n, &p, &diag) == 0) {
		uint8_t name[2 + 64];

		same(hrot_tpm_public_marshal(&p, out, sizeof(out)), d, n);
		(void)hrot_tpm_name(&p, name, sizeof(name));
	}
}

static void fuzz_attest(const uint8_t *d, size_t n)
{
	struct hrot_tpm_attest a;
	struct hrot_tpm_diag diag;

	if (hrot_tpm_attest_unmarshal(d, n, &a, &diag) == 0 &&
	    a.type == HROT_TPM_ST_ATTEST_QUOTE)
		same(hrot_tpm_attest_marshal(&a, out, sizeof(out)), d, n);
}

static void fuzz_signature(const uint8_t *d, size_t n)
{
	struct hrot_tpm_signature s;
	struct hrot_tpm_diag diag;

	if (hrot_tpm_signature_unmarshal(d, n, &s, &diag) == 0)
		same(hrot_tpm_signature_marshal(&s, out, sizeof(out)), d, n);
}

static void fuzz_selection(const uint8_t *d, size_t n)
{
	struct hrot_pcr_selection s;
	struct hrot_tpm_diag diag;

	if (hrot_pcr_selection_unmarshal(d, n, &s, &diag) == 0)
		same(hrot_pcr_selection_marshal(&s, out, sizeof(out)), d, n);
}

static void fuzz_pcrs_file(const uint8_t *d, size_t n)
{
	static uint8_t values[16 * 32 * 64];
	struct hrot_pcr_selection s;
	struct hrot_tpm_diag diag;
	size_t len;

	if (hrot_pcrs_file_read(d, n, &s, values, sizeof(values), &len,
				&diag) == 0 && len > sizeof(values))
		abort();
}

static void fuzz_cred_file(const uint8_t *d, size_t n)
{
	struct hrot_credential c;
	struct hrot_tpm_diag diag;
	uint8_t *file;
	size_t len;

	if (hrot_credential_file_read(d, n, &c, &diag) != 0)
		return;
	if (hrot_credential_file_write(&c, &file, &len) != 0)
		abort();
	if (len != n || memcmp(file, d, n) != 0)
		abort();
	free(file);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *d = data + 1;
	size_t n = size - 1;

	if (size < 1)
		return 0;
	switch (data[0] % 7) {
	case 0:
		fuzz_public(d, n, 0);
		break;
	case 1:
		fuzz_public(d, n, 1);
		break;
	case 2:
		fuzz_attest(d, n);
		break;
	case 3:
		fuzz_signature(d, n);
		break;
	case 4:
		fuzz_selection(d, n);
		break;
	case 5:
		fuzz_pcrs_file(d, n);
		break;
	default:
		fuzz_cred_file(d, n);
		break;
	}
	return 0;
}
