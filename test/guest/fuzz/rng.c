/* SPDX-License-Identifier: MIT */
/*
 * The fuzzer's generator: splitmix64 turns a seed (and a child's number)
 * into well-spread stream seeds, and each thread then draws from its own
 * xorshift64* stream. Nothing here reads the clock, so a seed names one run.
 */
#include "fuzz.h"

uint64_t fz_splitmix(uint64_t *state)
{
	uint64_t z = (*state += 0x9E3779B97F4A7C15ull);

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return z ^ (z >> 31);
}

void fz_rng_seed(struct fz_rng *r, uint64_t seed)
{
	uint64_t s = seed;

	r->s = fz_splitmix(&s);
	if (r->s == 0)
		r->s = 0x2545F4914F6CDD1Dull; /* xorshift never leaves zero */
}

uint64_t fz_next(struct fz_rng *r)
{
	uint64_t x = r->s;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	r->s = x;
	return x * 0x2545F4914F6CDD1Dull;
}

uint64_t fz_below(struct fz_rng *r, uint64_t n)
{
	return n ? fz_next(r) % n : 0;
}

uint64_t fz_range(struct fz_rng *r, uint64_t lo, uint64_t hi)
{
	return lo + fz_below(r, hi - lo + 1);
}

bool fz_percent(struct fz_rng *r, unsigned percent)
{
	return fz_below(r, 100) < percent;
}

bool fz_one_in(struct fz_rng *r, unsigned n)
{
	return fz_below(r, n) == 0;
}

uint64_t fz_pick(struct fz_rng *r, const uint64_t *v, size_t n)
{
	return v[fz_below(r, n)];
}

uint64_t fz_child_seed(uint64_t seed, uint64_t index)
{
	uint64_t s = seed ^ (index * 0xD1B54A32D192ED03ull);

	return fz_splitmix(&s);
}
