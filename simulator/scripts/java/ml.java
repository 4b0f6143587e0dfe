import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Scanner;

public class Main {
    public static void main(String[] args) {
        Scanner in = new Scanner(System.in);
        long a = in.nextLong();
        long b = in.nextLong();
        // Up to 4 GiB of filled 1 MiB arrays, all kept reachable: the heap
        // runs out (OutOfMemoryError) or the container is OOM-killed.
        List<byte[]> blocks = new ArrayList<>();
        for (int i = 0; i < 4096; i++) {
            byte[] blk = new byte[1 << 20];
            Arrays.fill(blk, (byte) (i % 127 + 1));
            blocks.add(blk);
        }
        long sum = 0;
        for (byte[] blk : blocks) {
            sum += blk[4096];
        }
        System.out.println(a + b + sum % 2);
    }
}
