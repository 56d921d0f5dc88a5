//! The CLI benchmark's baseline: a Rust program that prints a line and
//! exits, to set against `gong --mock …` from start to exit.

fn main() {
    println!("hello");
}
