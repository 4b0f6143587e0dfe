// Spins forever (an atomic add: the loop cannot be optimised away).
import core.atomic;

shared ulong n;

void main()
{
	while (true)
		atomicOp!"+="(n, 1);
}
