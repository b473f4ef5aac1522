/*
 * Test vectors of the oracle's libm (glibc 2.36 on Debian 12, x86-64 with
 * FMA) for src/engine/geo/libm.ts: sin, cos and asin of N arguments drawn
 * from a xorshift64 generator (tests/unit/geo-libm.test.ts draws the same
 * ones), printed as JSON: a hash of every result's bits per function and
 * the first vectors in full.
 * Run: gcc -O2 -o /tmp/libm-vectors scripts/libm-vectors.c -lm &&
 *      /tmp/libm-vectors 300000 > tests/unit/geo-libm-vectors.json
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t state = 0x9E3779B97F4A7C15ULL;
static uint64_t next(void) {
  state ^= state << 13;
  state ^= state >> 7;
  state ^= state << 17;
  return state;
}
/* A double in [0, 1) from the top 53 bits. */
static double unit(void) { return (double)(next() >> 11) * (1.0 / 9007199254740992.0); }
/* unit() * 2^-(next() % k), drawn in that order. */
static double tiny(int k) {
  double u = unit();
  int e = (int)(next() % k);
  return ldexp(u, -e);
}

/* The argument of sin and cos number i: each range the functions branch on. */
static double trig_arg(long i) {
  switch (i % 7) {
    case 0: return (unit() * 2 - 1) * 3.5;
    case 1: return (unit() * 2 - 1) * 0.2;
    case 2: return (unit() * 2 - 1) * 40;
    case 3: return (unit() * 2 - 1) * 1e6;
    case 4: return (unit() * 2 - 1) * 1.5;
    case 5: return tiny(40);
    default: return (unit() * 2 - 1) * 1e8;
  }
}

/* The argument of asin number i: all of [-1, 1], near 1, near 0. */
static double asin_arg(long i) {
  switch (i % 4) {
    case 0: return unit() * 2 - 1;
    case 1: return 1 - tiny(50);
    case 2: return unit() * 0.2;
    default: return tiny(40);
  }
}

static uint64_t bits(double d) { uint64_t u; memcpy(&u, &d, 8); return u; }
/* FNV-1a over the 8 little-endian bytes of each result. */
static void mix(uint64_t *h, double d) {
  uint64_t u = bits(d);
  for (int b = 0; b < 8; b++) { *h ^= (u >> (8 * b)) & 0xff; *h *= 0x100000001b3ULL; }
}

int main(int argc, char **argv) {
  long n = argc > 1 ? atol(argv[1]) : 300000;
  uint64_t hs = 0xcbf29ce484222325ULL, hc = hs, ha = hs;
  printf("{\n  \"n\": %ld,\n  \"samples\": [\n", n);
  for (long i = 0; i < n; i++) {
    double x = trig_arg(i), a = asin_arg(i);
    double s = sin(x), c = cos(x), r = asin(a);
    mix(&hs, s); mix(&hc, c); mix(&ha, r);
    if (i < 40)
      printf("    [\"%016llx\", \"%016llx\", \"%016llx\", \"%016llx\", \"%016llx\"]%s\n",
             (unsigned long long)bits(x), (unsigned long long)bits(s), (unsigned long long)bits(c),
             (unsigned long long)bits(a), (unsigned long long)bits(r), i < 39 ? "," : "");
  }
  printf("  ],\n  \"sin\": \"%016llx\",\n  \"cos\": \"%016llx\",\n  \"asin\": \"%016llx\"\n}\n",
         (unsigned long long)hs, (unsigned long long)hc, (unsigned long long)ha);
  return 0;
}
