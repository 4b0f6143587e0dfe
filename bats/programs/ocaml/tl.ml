(* Spins forever. *)
let () =
  let n = ref 0 in
  while true do
    incr n
  done
