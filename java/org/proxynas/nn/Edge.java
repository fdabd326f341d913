package org.proxynas.nn;

import org.proxynas.tensor.Tensor;

import java.util.List;

/**
 * One edge of a cell: maps its input state to weighted op outputs that the cell sums into the target node.
 * forward appends (output, weight) pairs; backward gets the node's gradient and adds the input's gradient.
 */
interface Edge {
    int input();

    void forward(Tensor x, List<Tensor> outs, List<Float> weights);

    void backward(Tensor dnode, Tensor dx);

    void collectParams(List<Param> out);

    void collectBuffers(List<NamedTensor> out);

    void release();
}
