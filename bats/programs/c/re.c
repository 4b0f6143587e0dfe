/* Dereferences a null pointer: SIGSEGV. */
#include <stdio.h>
int main(void){volatile int *p=0;long a,b;if(scanf("%ld %ld",&a,&b)!=2)return 1;*p=(int)(a+b);return 0;}
