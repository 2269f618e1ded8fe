/* bcryptprimitives.dll for Wine 8, which lacks it: Go 1.22 and newer load
   ProcessPrng from it at start. This one answers with RtlGenRandom
   (advapi32 SystemFunction036). Built with mingw-w64 by .ci/wine/exec into
   the test prefix only; real Windows has its own. */
#include <windows.h>
BOOLEAN WINAPI SystemFunction036(PVOID buf, ULONG len);
BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len) {
	while (len > 0) {
		ULONG n = len > 0x40000000 ? 0x40000000 : (ULONG)len;
		if (!SystemFunction036(data, n)) return FALSE;
		data += n; len -= n;
	}
	return TRUE;
}
