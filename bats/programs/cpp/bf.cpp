#include <iostream>
int main(){ std::cout << no_such_thing << "\n"; }
