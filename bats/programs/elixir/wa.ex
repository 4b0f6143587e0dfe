# Prints the sum plus one: a wrong answer.
defmodule Main do
  def main do
    [a, b] = IO.read(:stdio, :line) |> String.split() |> Enum.map(&String.to_integer/1)
    IO.puts(a + b + 1)
  end
end
