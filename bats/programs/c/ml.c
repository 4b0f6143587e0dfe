/* Allocates and touches memory 8 MiB at a time until it is stopped. Every
 * block stays reachable (keep[]) and is read at the end, so no compiler may
 * drop the allocations (clang elides a malloc whose block is never used). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
static char *keep[512];
int main(void){for(int i=0;i<512;i++){keep[i]=malloc(8<<20);if(!keep[i])return 3;memset(keep[i],1,8<<20);}printf("%d\n",keep[511][4095]);return 0;}
