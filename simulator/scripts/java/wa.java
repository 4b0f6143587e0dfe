import java.util.Scanner;

public class Main {
    public static void main(String[] args) {
        Scanner in = new Scanner(System.in);
        long a = in.nextLong();
        long b = in.nextLong();
        // Off by one on purpose: the judge must answer WA.
        System.out.println(a + b + 1);
    }
}
