/* Allocates and touches memory 8 MiB at a time until it is stopped. */
#include <stdlib.h>
#include <string.h>
int main(void){for(int i=0;i<512;i++){char *p=malloc(8<<20);if(!p)return 3;memset(p,1,8<<20);}return 0;}
