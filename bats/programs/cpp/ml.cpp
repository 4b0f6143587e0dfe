#include <vector>
#include <cstring>
int main(){std::vector<char*> v;for(int i=0;i<512;i++){char *p=new char[8<<20];std::memset(p,1,8<<20);v.push_back(p);}return v.size()==0;}
