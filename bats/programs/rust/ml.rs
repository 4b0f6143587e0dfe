// Allocates and fills 8 MiB blocks until it is stopped.
fn main() {
    let mut keep: Vec<Vec<u8>> = Vec::new();
    for _ in 0..512 {
        keep.push(vec![1u8; 8 << 20]);
    }
    println!("{}", keep.len());
}
