// Starts threads that sleep forever until the JVM cannot start one more:
// the box's pids limit stops it, and the JVM then says OutOfMemoryError
// ("unable to create native thread") with memory to spare, which must be
// answered RE, not ML.
public class Main {
	public static void main(String[] args) {
		for (;;) {
			Thread t = new Thread(() -> {
				try {
					Thread.sleep(Long.MAX_VALUE);
				} catch (InterruptedException e) {
				}
			});
			t.setDaemon(true);
			t.start();
		}
	}
}
