/* SPDX-License-Identifier: MIT */
/*
 * The campaign's generator: splitmix64 spreads the seed, xorshift64* draws.
 * Nothing here reads a clock, so a seed names the sequence of choices (the
 * guest's timing, and so what each fault meets, still varies under TCG).
 */
#include "camp.h"

void camp_rng_seed(struct camp_rng *r, uint64_t seed)
{
	uint64_t z = seed + 0x9E3779B97F4A7C15ull;

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	r->s = (z ^ (z >> 31)) | 1;
}

uint64_t camp_rng_next(struct camp_rng *r)
{
	r->s ^= r->s >> 12;
	r->s ^= r->s << 25;
	r->s ^= r->s >> 27;
	return r->s * 0x2545F4914F6CDD1Dull;
}

uint32_t camp_rng_below(struct camp_rng *r, uint32_t n)
{
	return n ? (uint32_t)(camp_rng_next(r) % n) : 0;
}
