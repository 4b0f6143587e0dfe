import java.util.Scanner;

public class Main {
    public static void main(String[] args) {
        Scanner in = new Scanner(System.in);
        long a = in.nextLong();
        long b = in.nextLong();
        // An odd state under x*5+1 (mod 2^64) stays odd: never zero.
        long x = (a + b) * 2 + 1;
        while (x != 0) {
            x = (x * 5 + 1) | 1;
        }
        System.out.println(x);
    }
}
