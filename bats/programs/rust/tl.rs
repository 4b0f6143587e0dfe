// Spins forever (volatile writes: the loop cannot be optimised away).
fn main() {
    let mut n: u64 = 0;
    loop {
        unsafe { std::ptr::write_volatile(&mut n, n.wrapping_add(1)) };
    }
}
