import java.util.Scanner;

public class Main {
    public static void main(String[] args) {
        Scanner in = new Scanner(System.in);
        long a = in.nextLong();
        long b = in.nextLong();
        // Uncaught ArithmeticException: exit status 1.
        long zero = a - a;
        System.out.println((a + b) / zero);
    }
}
