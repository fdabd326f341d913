package org.proxynas.nn;

import org.proxynas.tensor.Tensor;

import java.util.List;

/**
 * One edge of a cell: maps its input state to weighted op outputs that the cell sums into the target node.
 * forward appends its terms (output, weight, and batch statistics where an op deferred its batch norm to the sum);
 * backward gets the node's gradient and adds the input's gradient.
 */
interface Edge {
    int input();

    void forward(Tensor x, NodeTerms terms);

    void backward(Tensor dnode, Tensor dx);

    void collectParams(List<Param> out);

    void collectBuffers(List<NamedTensor> out);

    void release();
}
