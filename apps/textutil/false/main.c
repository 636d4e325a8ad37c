/* SPDX-License-Identifier: MIT */
/* false: exits 1 (for `&&`, `||` and $?). */
int main(void)
{
	return 1;
}
