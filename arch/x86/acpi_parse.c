/*
 * ACPI byte-level helpers that touch no hardware, so the host tests can feed
 * them broken firmware data: table checksums and the \_S5 package in AML.
 */
#include "arch/x86/acpi.h"
#include "hv/log.h"
#include "hv/string.h"

#define AML_ZERO_OP		0x00
#define AML_ONE_OP		0x01
#define AML_NAME_OP		0x08
#define AML_BYTE_PREFIX		0x0A
#define AML_WORD_PREFIX		0x0B
#define AML_DWORD_PREFIX	0x0C
#define AML_QWORD_PREFIX	0x0E
#define AML_PACKAGE_OP		0x12
#define AML_ROOT_CHAR		'\\'

/* SLP_TYPx is a 3-bit field of PM1x_CNT. */
#define SLP_TYP_MAX		7

bool acpi_checksum_ok(const void *p, size_t len)
{
	const uint8_t *b = p;
	uint8_t sum = 0;

	while (len--)
		sum += *b++;
	return sum == 0;
}

/*
 * Decodes a PkgLength (ACPI 20.2.4) at aml[*pos]; on success *pos is past it
 * and *end is the offset where the package ends (the length counts itself).
 */
static bool aml_pkg_length(const uint8_t *aml, size_t len, size_t *pos, size_t *end)
{
	size_t start = *pos;
	uint8_t lead;
	unsigned int extra;
	uint32_t plen;

	if (start >= len)
		return false;
	lead = aml[start];
	extra = lead >> 6;
	if (start + 1 + extra > len)
		return false;
	if (extra == 0) {
		plen = lead & 0x3F;
	} else {
		if (lead & 0x30)	/* bits 5:4 must be 0 in the multi-byte form */
			return false;
		plen = lead & 0x0F;
		for (unsigned int i = 0; i < extra; i++)
			plen |= (uint32_t)aml[start + 1 + i] << (4 + 8 * i);
	}
	if (plen < 1 + extra || plen > len - start)
		return false;
	*pos = start + 1 + extra;
	*end = start + plen;
	return true;
}

/* Decodes one integer constant (ComputationalData) at aml[*pos] before @end. */
static bool aml_integer(const uint8_t *aml, size_t end, size_t *pos, uint64_t *val)
{
	size_t p = *pos;
	unsigned int n;

	if (p >= end)
		return false;
	switch (aml[p]) {
	case AML_ZERO_OP:
		*val = 0;
		*pos = p + 1;
		return true;
	case AML_ONE_OP:
		*val = 1;
		*pos = p + 1;
		return true;
	case AML_BYTE_PREFIX:
		n = 1;
		break;
	case AML_WORD_PREFIX:
		n = 2;
		break;
	case AML_DWORD_PREFIX:
		n = 4;
		break;
	case AML_QWORD_PREFIX:
		n = 8;
		break;
	default:
		return false;	/* OnesOp, a name or a method call: not a SLP_TYP value */
	}
	if (end - p - 1 < n)
		return false;
	*val = 0;
	for (unsigned int i = 0; i < n; i++)
		*val |= (uint64_t)aml[p + 1 + i] << (8 * i);
	*pos = p + 1 + n;
	return true;
}

/* Decodes the package that should follow the name at @pos. */
static bool decode_s5_package(const uint8_t *aml, size_t len, size_t pos, uint8_t *a, uint8_t *b)
{
	size_t end;
	uint8_t count;
	uint64_t v0, v1;

	if (pos >= len || aml[pos] != AML_PACKAGE_OP)
		return false;
	pos++;
	if (!aml_pkg_length(aml, len, &pos, &end) || pos >= end)
		return false;
	count = aml[pos++];
	if (count == 0 || !aml_integer(aml, end, &pos, &v0))
		return false;
	if (count >= 2) {
		if (!aml_integer(aml, end, &pos, &v1))
			return false;
	} else {
		/* Old firmware packs both values into one integer (a: bits 7:0, b: 15:8). */
		v1 = (v0 >> 8) & 0xFF;
		v0 &= 0xFF;
	}
	if (v0 > SLP_TYP_MAX || v1 > SLP_TYP_MAX)
		return false;
	*a = v0;
	*b = v1;
	return true;
}

bool acpi_decode_s5(const uint8_t *aml, size_t len, uint8_t *slp_typa, uint8_t *slp_typb)
{
	/* A real parser would need the whole AML grammar; the name is always
	 * encoded as NameOp [\] "_S5_", so scanning for it is reliable enough. */
	for (size_t i = 1; i + 4 <= len; i++) {
		bool named;

		if (memcmp(aml + i, "_S5_", 4) != 0)
			continue;
		named = aml[i - 1] == AML_NAME_OP ||
			(i >= 2 && aml[i - 1] == AML_ROOT_CHAR && aml[i - 2] == AML_NAME_OP);
		if (named && decode_s5_package(aml, len, i + 4, slp_typa, slp_typb))
			return true;
	}
	return false;
}
