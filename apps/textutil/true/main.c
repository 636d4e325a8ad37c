/* SPDX-License-Identifier: MIT */
/* true: exits 0 (for `&&`, `||` and $?). */
int main(void)
{
	return 0;
}
