// Does not compile.
fn main() {
    let x: i32 = "no";
}
