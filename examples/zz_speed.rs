use iamport_keyin::card::number::{check_card_number_text, is_valid_card_number};
fn main() {
    let s = std::fs::read_to_string("/tmp/cards.txt").unwrap();
    let inputs: Vec<&str> = s.lines().collect();
    let mut out = [0u8; iamport_keyin::card::number::TEXT_MAX];
    let mut sink = 0u32;
    let reps = 300;
    let t = std::time::Instant::now();
    for _ in 0..reps { for i in &inputs { sink ^= check_card_number_text(std::hint::black_box(i), &mut out); } }
    println!("text {:.1} ns/call", t.elapsed().as_nanos() as f64 / (reps * inputs.len()) as f64);
    let t = std::time::Instant::now();
    for _ in 0..reps { for i in &inputs { sink ^= is_valid_card_number(std::hint::black_box(i)) as u32; } }
    println!("valid {:.1} ns/call {}", t.elapsed().as_nanos() as f64 / (reps * inputs.len()) as f64, sink&0);
}
