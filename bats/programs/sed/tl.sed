# Loops forever on the first line.
:spin
b spin
